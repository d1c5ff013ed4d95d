using System.Globalization;

namespace VaxCert.Core.Dcc;

/// <summary>
/// The date forms of the EU DCC, checked as real calendar instants (the schemas leave them to <c>format</c>, an
/// annotation, so "2021-02-30" and "" would pass the schema). Exact formats only: no culture, no lenient parsing.
/// </summary>
public static class DccDates
{
    private static readonly string[] DateTimeWithOffset =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    private static readonly string[] DateTimeLocal = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    /// <summary>
    /// A vaccination/recovery date (dt, fr, df, du): "YYYY-MM-DD", a real date. Some issuers send a full date-time in dt;
    /// that is accepted when the whole text is a real date-time, and its date part is returned.
    /// </summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (text is null || text.Length < 10) return false;
        if (!DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return false;
        return text.Length == 10 || IsDateTime(text)
               || DateTime.TryParseExact(text, DateTimeLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>An RFC 3339 date-time with an offset or Z (sc, dr): "2021-05-18T10:00:00Z", "2021-05-18T10:00:00.5+02:00".</summary>
    public static bool IsDateTime(string? text)
        => text is { Length: >= 20 }
           && DateTimeOffset.TryParseExact(text, DateTimeWithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>
    /// A date of birth as the EU DCC allows it: empty (unknown), "YYYY", "YYYY-MM" or a real "YYYY-MM-DD" (a trailing
    /// time, as some issuers send, is accepted when it is a real date-time).
    /// </summary>
    public static bool IsBirthDate(string? text) => text switch
    {
        null => false,
        "" => true,
        { Length: 4 } => text.All(char.IsAsciiDigit) && text != "0000",
        { Length: 7 } => DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => TryParseDate(text, out _),
    };
}
