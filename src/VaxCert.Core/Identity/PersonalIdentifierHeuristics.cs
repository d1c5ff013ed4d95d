namespace VaxCert.Core.Identity;

/// <summary>
/// Whether a facility record id looks like a personal identifier (issue #12 item 2): facilities have used the citizen's
/// CCCD as record id, which then travels to the ministry and into logs and the append-only audit log. Errs towards
/// refusing, since a refused id costs a facility one renamed record, and a stored CCCD cannot be taken back. An id is
/// suspect when
/// <list type="bullet">
/// <item>it holds a run of exactly 12 digits (CCCD) or exactly 9 digits (CMND) between non-digits;</item>
/// <item>it is, once spaces, dots, hyphens and slashes are dropped, 9 or 12 digits ("001 187 012 345");</item>
/// <item>it is passport-shaped as a whole: two letters and 7 digits, or one of the series letters B, C, E, G, K, M, N, P
/// (Vietnamese and common foreign passports) and 7 or 8 digits.</item>
/// </list>
/// Ids such as "HN001-2021-0914-0001" or "R0000001" pass. Linear time, never throws. Callers must never echo a refused id.
/// </summary>
public static class PersonalIdentifierHeuristics
{
    private const string PassportSeries = "BCEGKMNP";

    /// <summary>True when <paramref name="recordId"/> looks like a CCCD, CMND or passport number.</summary>
    public static bool LooksLikePersonalIdentifier(string? recordId)
    {
        if (string.IsNullOrWhiteSpace(recordId)) return false;
        var id = recordId.AsSpan().Trim();
        return HasIdentityDigitRun(id) || IsSeparatedIdentityNumber(id) || IsPassportShaped(id);
    }

    private static bool HasIdentityDigitRun(ReadOnlySpan<char> id)
    {
        var run = 0;
        for (var i = 0; i <= id.Length; i++)
        {
            if (i < id.Length && char.IsAsciiDigit(id[i])) { run++; continue; }
            if (run is 9 or 12) return true;
            run = 0;
        }
        return false;
    }

    private static bool IsSeparatedIdentityNumber(ReadOnlySpan<char> id)
    {
        var digits = 0;
        foreach (var c in id)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (' ' or '.' or '-' or '/')) return false;
        }
        return digits is 9 or 12;
    }

    private static bool IsPassportShaped(ReadOnlySpan<char> id)
    {
        var letters = 0;
        while (letters < id.Length && char.IsAsciiLetter(id[letters])) letters++;
        var rest = id[letters..];
        if (rest.IsEmpty || rest.ContainsAnyExceptInRange('0', '9')) return false;
        return letters switch
        {
            2 => rest.Length == 7,
            1 => rest.Length is 7 or 8 && PassportSeries.Contains(char.ToUpperInvariant(id[0])),
            _ => false,
        };
    }
}
