namespace VaxCert.Core.Identity;

/// <summary>Which kind of personal identifier an id resembles.</summary>
public enum PersonalIdentifierKind
{
    /// <summary>A 12-digit citizen identity card number (CCCD) whose first three digits are a province code.</summary>
    Cccd,

    /// <summary>A 9-digit identity card number (CMND).</summary>
    Cmnd,

    /// <summary>A passport number: one or two letters and 7-8 digits (e.g. Vietnamese C1234567).</summary>
    Passport,
}

/// <summary>
/// Recognises ids that look like a personal identifier, so that a facility record id (kept in the ledger and its
/// append-only audit log forever) can never be a citizen's CCCD, CMND or passport number. Shared by the facility tool and
/// the issuance server. A heuristic that errs towards refusing: an id is refused when
/// <list type="bullet">
/// <item>it contains a run of exactly 12 digits starting with one of the 63 CCCD province codes, or of exactly 9 digits,
/// or</item>
/// <item>with spaces, dots and hyphens removed it is 9 digits, or 12 digits starting with a province code ("001 187 012
/// 345"), or</item>
/// <item>it is, as a whole, a passport-like number: two letters and 7 digits, or one of the letters B C E G K M N P and 7
/// or 8 digits (Vietnamese ordinary passports and the common foreign series).</item>
/// </list>
/// Facilities should use ids such as "2021-000123" or "HN001-R123456". Linear time, never throws, and never echoes the
/// id: callers must not put a refused id in any message, log or stored row.
/// </summary>
public static class PersonalIdentifierLikeness
{
    private const int CccdDigits = 12;
    private const int CmndDigits = 9;
    private const string PassportSeriesLetters = "BCEGKMNP";

    /// <summary>The kind of personal identifier <paramref name="id"/> looks like, or null when it looks like none.</summary>
    public static PersonalIdentifierKind? Classify(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return null;
        var text = id.AsSpan().Trim();
        if (FromDigitRuns(text) is { } inRun)
            return inRun;
        if (FromCompacted(text) is { } compacted)
            return compacted;
        return IsPassportLike(text) ? PersonalIdentifierKind.Passport : null;
    }

    /// <summary>True when <paramref name="id"/> looks like a CCCD, CMND or passport number.</summary>
    public static bool LooksLikePersonalIdentifier(string? id) => Classify(id) is not null;

    private static PersonalIdentifierKind? FromDigitRuns(ReadOnlySpan<char> text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
                start = i;
            else if (!digit && start >= 0)
            {
                if (OfDigits(text[start..i]) is { } kind)
                    return kind;
                start = -1;
            }
        }
        return null;
    }

    private static PersonalIdentifierKind? FromCompacted(ReadOnlySpan<char> text)
    {
        if (text.Length > 3 * CccdDigits)
            return null;
        Span<char> digits = stackalloc char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
                digits[n++] = c;
            else if (c is not (' ' or '.' or '-'))
                return null;
        }
        return OfDigits(digits[..n]);
    }

    private static PersonalIdentifierKind? OfDigits(ReadOnlySpan<char> digits) => digits.Length switch
    {
        CccdDigits when Provinces.ByCode.ContainsKey(digits[..3].ToString()) => PersonalIdentifierKind.Cccd,
        CmndDigits => PersonalIdentifierKind.Cmnd,
        _ => null,
    };

    private static bool IsPassportLike(ReadOnlySpan<char> text)
    {
        var letters = 0;
        while (letters < text.Length && char.IsAsciiLetter(text[letters]))
            letters++;
        var digits = text.Length - letters;
        if (digits <= 0 || text[letters..].ContainsAnyExceptInRange('0', '9'))
            return false;
        return letters switch
        {
            2 => digits == 7,
            1 => digits is 7 or 8 && PassportSeriesLetters.Contains(char.ToUpperInvariant(text[0])),
            _ => false,
        };
    }
}
