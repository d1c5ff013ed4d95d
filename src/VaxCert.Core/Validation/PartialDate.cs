using System.Globalization;
using System.Text.RegularExpressions;

namespace VaxCert.Core.Validation;

/// <summary>How a date of birth failed to parse.</summary>
public enum PartialDateError
{
    /// <summary>Parsed.</summary>
    None,
    /// <summary>Not "YYYY-MM-DD", "YYYY-MM" or "YYYY".</summary>
    Format,
    /// <summary>Year outside 1900-2099 (DCC schema range).</summary>
    YearOutOfRange,
    /// <summary>Month 00 or above 12, or a day the month does not have (2001-02-29).</summary>
    NotACalendarDate,
}

/// <summary>
/// A DCC date of birth, which may be partial ("1987", "1987-05") because some people's registers hold only a year.
/// Comparisons use the earliest day the value can mean, so "1987" is never later than any day in 1987.
/// </summary>
public readonly partial record struct PartialDate(int Year, int? Month, int? Day)
{
    /// <summary>Lowest year the DCC schema allows.</summary>
    public const int MinYear = 1900;

    /// <summary>Highest year the DCC schema allows.</summary>
    public const int MaxYear = 2099;

    /// <summary>The first calendar day this value can stand for.</summary>
    public DateOnly EarliestDay => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>Parses untrusted text; never throws.</summary>
    public static PartialDateError TryParse(string? text, out PartialDate date)
    {
        date = default;
        var match = text is null ? Match.Empty : Shape().Match(text);
        if (!match.Success)
            return PartialDateError.Format;
        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        int? month = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : null;
        int? day = match.Groups["d"].Success ? int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture) : null;
        if (year is < MinYear or > MaxYear)
            return PartialDateError.YearOutOfRange;
        if (month is < 1 or > 12 || (day is int d && (d < 1 || d > DateTime.DaysInMonth(year, month!.Value))))
            return PartialDateError.NotACalendarDate;
        date = new PartialDate(year, month, day);
        return PartialDateError.None;
    }

    // ASCII digits only: \d would also accept other scripts' digits.
    [GeneratedRegex("^(?<y>[0-9]{4})(-(?<m>[0-9]{2})(-(?<d>[0-9]{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
