using System.Globalization;
using System.Text.RegularExpressions;

namespace VaxCert.Verifier.Rules;

/// <summary>
/// CertLogic's two date-time constructors. plusTime follows JavaScript's Date setters, as the specification says: adding
/// months or years keeps the day of month and lets it roll over (2020-02-29 plus one year is 2021-03-01), unlike .NET's
/// AddMonths, which clamps. Invalid dates (2021-02-30, 2022-13) are refused rather than rolled over.
/// </summary>
internal static partial class CertLogicDates
{
    public static bool IsTimeUnit(string unit) => unit is "year" or "month" or "day" or "hour";

    // YYYY-MM-DDThh:mm:ss[.S+][Z|[+-]h[h][[:]mm]]; ASCII digits only.
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+?)?(Z|(([+-])([0-9]{1,2}):?([0-9]{2})?))?$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^([0-9]{4})(-([0-9]{2}))?(-([0-9]{2}))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DatePattern();

    /// <summary>The date-time of <paramref name="text"/> plus <paramref name="amount"/> units; null when not allowed.</summary>
    public static DateTimeOffset? PlusTime(string text, long amount, string unit)
    {
        if (Parse(text) is not { } start) return null;
        try
        {
            var utc = start.UtcDateTime;
            var result = unit switch
            {
                "hour" => utc.AddHours(amount),
                "day" => utc.AddDays(amount),
                "month" => AddMonthsRollingOver(utc, amount),
                _ => AddMonthsRollingOver(utc, checked(amount * 12)),
            };
            return new DateTimeOffset(result, TimeSpan.Zero);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>dccDateOfBirth: YYYY → 31 Dec, YYYY-MM → last day of the month, YYYY-MM-DD as is (midnight UTC).</summary>
    public static DateTimeOffset? DateOfBirth(string text)
        => DatePattern().IsMatch(text) ? Parse(text) : null;

    private static DateTime AddMonthsRollingOver(DateTime utc, long months)
    {
        var total = checked(utc.Year * 12L + utc.Month - 1 + months);
        var firstOfMonth = new DateTime((int)(total / 12), (int)(total % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return firstOfMonth.AddDays(utc.Day - 1).Add(utc.TimeOfDay);
    }

    private static DateTimeOffset? Parse(string text)
    {
        try
        {
            if (DatePattern().Match(text) is { Success: true } date)
            {
                var year = Int(date.Groups[1].Value);
                if (!date.Groups[3].Success) return Utc(new DateTime(year, 12, 31)); // partial dates round up
                var month = Int(date.Groups[3].Value);
                if (!date.Groups[5].Success) return Utc(new DateTime(year, month, DateTime.DaysInMonth(year, month)));
                return Utc(new DateTime(year, month, Int(date.Groups[5].Value)));
            }
            if (DateTimePattern().Match(text) is not { Success: true } m) return null;
            var fraction = m.Groups[7].Success ? m.Groups[7].Value[1..].PadRight(3, '0')[..3] : "000"; // truncate to ms
            var local = new DateTime(Int(m.Groups[1].Value), Int(m.Groups[2].Value), Int(m.Groups[3].Value),
                Int(m.Groups[4].Value), Int(m.Groups[5].Value), Int(m.Groups[6].Value), Int(fraction), DateTimeKind.Utc);
            if (!m.Groups[9].Success) return Utc(local); // no offset or Z
            var hours = Int(m.Groups[11].Value);
            var minutes = m.Groups[12].Success ? Int(m.Groups[12].Value) : 0;
            if (hours > 23 || minutes > 59) return null;
            var offset = new TimeSpan(hours, minutes, 0);
            return Utc(m.Groups[10].Value == "-" ? local + offset : local - offset);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    private static int Int(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
