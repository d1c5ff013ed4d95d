using System.Text;

namespace VaxCert.Core.Uvci;

/// <summary>
/// Builds and reads Unique Vaccination Certificate Identifiers: <c>URN:UVCI:01:&lt;country&gt;:&lt;issuer part&gt;#&lt;check&gt;</c>
/// (eHN guidelines Annex 2). Named UvciFormat rather than Uvci so it does not clash with its namespace.
/// </summary>
public static class UvciFormat
{
    /// <summary>"URN:UVCI:".</summary>
    public const string Prefix = "URN:UVCI:";

    /// <summary>The only UVCI version in use.</summary>
    public const string Version = "01";

    /// <summary>The DCC schema's maxLength for ci.</summary>
    public const int MaxLength = 80;

    /// <summary>
    /// Builds <c>URN:UVCI:01:&lt;country&gt;:&lt;part1&gt;/&lt;part2&gt;...#&lt;check&gt;</c>. Inputs come from configuration
    /// or generators, so malformed ones are programming errors and throw <see cref="ArgumentException"/>.
    /// </summary>
    public static string Generate(string country, params string[] issuerParts)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(issuerParts);
        if (!IsCountryCode(country))
            throw new ArgumentException("The country must be two upper-case letters (ISO 3166-1 alpha-2).", nameof(country));
        if (issuerParts.Length == 0)
            throw new ArgumentException("At least one issuer part is required.", nameof(issuerParts));
        foreach (var part in issuerParts)
            if (!IsSegment(part))
                throw new ArgumentException("Each issuer part must be non-empty and hold only A-Z and 0-9.", nameof(issuerParts));

        var body = $"{Prefix}{Version}:{country}:{string.Join('/', issuerParts)}";
        if (body.Length + 2 > MaxLength)
            throw new ArgumentException($"The UVCI would be longer than {MaxLength} characters.", nameof(issuerParts));
        return body + "#" + LuhnMod38.ComputeCheckCharacter(body)!.Value;
    }

    /// <summary>True when <paramref name="segment"/> is usable as one issuer part: 1+ characters of A-Z 0-9.</summary>
    public static bool IsSegment(string? segment) =>
        !string.IsNullOrEmpty(segment) && segment.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    /// <summary>Validates <paramref name="text"/>; never throws. See <see cref="UvciMode"/> for what each mode tolerates.</summary>
    /// <param name="text">Untrusted input.</param>
    /// <param name="mode">How strict to be.</param>
    /// <param name="expectedCountry">If set, a different country is an error (<see cref="UvciIssue.UnexpectedCountry"/>).</param>
    public static UvciValidation Validate(string? text, UvciMode mode, string? expectedCountry = null) =>
        new UvciReader(mode, expectedCountry).Read(text);

    /// <summary>Validates and returns true when there are no errors in <paramref name="mode"/>.</summary>
    public static bool TryParse(string? text, UvciMode mode, out UvciValidation result)
    {
        result = Validate(text, mode);
        return result.IsValid;
    }

    /// <summary>
    /// Allocation-free check that <paramref name="text"/> is a valid UVCI in <see cref="UvciMode.VaxCert"/> mode for
    /// <paramref name="country"/>: "URN:UVCI:01:CC:" + non-empty A-Z/0-9 fields separated by '/' or ':' + '#' + the
    /// Luhn mod 38 check character. Issuance checks every certificate id, so the happy path must be cheap; anything it
    /// rejects goes through <see cref="Validate"/> for the detailed findings (tests prove both agree).
    /// </summary>
    public static bool IsValidStrict(ReadOnlySpan<char> text, ReadOnlySpan<char> country)
    {
        const string head = Prefix + Version + ":";
        if (text.Length > MaxLength || text.Length < head.Length + 6 || country.Length != 2) return false;
        if (!text.StartsWith(head, StringComparison.Ordinal)) return false;
        var rest = text[head.Length..];
        if (!rest.StartsWith(country, StringComparison.Ordinal) || rest[2] != ':' || country[0] is < 'A' or > 'Z' || country[1] is < 'A' or > 'Z')
            return false;
        if (text[^2] != '#') return false;
        var issuerPart = rest[3..^2];
        if (issuerPart.IsEmpty) return false;
        var previousWasSeparator = true; // no leading separator
        foreach (var c in issuerPart)
        {
            if (c is '/' or ':')
            {
                if (previousWasSeparator) return false;
                previousWasSeparator = true;
            }
            else if (c is >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                previousWasSeparator = false;
            }
            else
            {
                return false;
            }
        }
        return !previousWasSeparator && LuhnMod38.IsValid(text[..^2], text[^1]);
    }

    internal static bool IsCountryCode(string? text) =>
        text is { Length: 2 } && text.All(c => c is >= 'A' and <= 'Z');

    /// <summary>One pass over one input; collects findings, sorting each into error or warning by mode.</summary>
    private sealed class UvciReader(UvciMode mode, string? expectedCountry)
    {
        private readonly List<UvciFinding> _errors = [];
        private readonly List<UvciFinding> _warnings = [];

        public UvciValidation Read(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
                return Fail(UvciIssue.Empty, "The UVCI is empty.");
            if (text.Length > MaxLength)
                return Fail(UvciIssue.TooLong, $"The UVCI has {text.Length} characters; at most {MaxLength} are allowed.");

            if (text.Any(c => c is >= 'a' and <= 'z'))
                Report(UvciIssue.LowerCase, "The UVCI contains lower-case letters; it must be upper case.", tolerated: mode == UvciMode.Lenient);
            var upper = AsciiUpper(text);
            var bad = upper.FirstOrDefault(c => c != '#' && LuhnMod38.IndexOf(c) < 0, '\0');
            if (bad != '\0' || upper.Contains('\0'))
                return Fail(UvciIssue.InvalidCharacter, $"The UVCI contains a character outside A-Z, 0-9, '/', ':' and '#' ({Describe(bad)}).");

            if (!TrySplitCheck(upper, out var body, out var check))
                return Result(null, null, null);

            string rest;
            if (body.StartsWith(Prefix, StringComparison.Ordinal))
                rest = body[Prefix.Length..];
            else
            {
                Report(UvciIssue.MissingPrefix, "The UVCI does not start with \"URN:UVCI:\".", tolerated: mode == UvciMode.Lenient);
                rest = body;
            }

            var fields = rest.Split(':', 3);
            if (fields.Length < 3)
                return Fail(UvciIssue.MissingIssuerPart, "The UVCI needs version, country and issuer part separated by ':'.");
            var (version, country, issuerPart) = (fields[0], fields[1], fields[2]);
            if (version != Version)
                Report(UvciIssue.UnsupportedVersion, $"The UVCI version must be \"{Version}\".", tolerated: false);
            if (!IsCountryCode(country))
                Report(UvciIssue.InvalidCountry, "The UVCI country must be two letters (ISO 3166-1 alpha-2).", tolerated: false);
            else if (expectedCountry is not null && country != expectedCountry)
                Report(UvciIssue.UnexpectedCountry, $"The UVCI country is {country}, expected {expectedCountry}.", tolerated: false);
            if (issuerPart.Length == 0)
                Report(UvciIssue.MissingIssuerPart, "The UVCI has no issuer-chosen part after the country.", tolerated: false);
            else if (issuerPart.Split(':', '/').Any(s => s.Length == 0))
                Report(UvciIssue.MisplacedSeparator, "The UVCI issuer part has an empty field (a doubled or trailing '/' or ':').", tolerated: false);

            // The check character covers the canonical text, prefix included.
            var canonicalBody = $"{Prefix}{version}:{country}:{issuerPart}";
            CheckCharacter(canonicalBody, check);
            var canonical = _errors.Count == 0 ? canonicalBody + "#" + LuhnMod38.ComputeCheckCharacter(canonicalBody) : null;
            return Result(country, issuerPart, check, canonical);
        }

        private bool TrySplitCheck(string upper, out string body, out char? check)
        {
            var hash = upper.IndexOf('#');
            body = upper;
            check = null;
            if (hash < 0)
                return true;
            if (hash != upper.Length - 2 || upper.LastIndexOf('#') != hash)
            {
                Report(UvciIssue.MisplacedSeparator, "'#' may appear only once, directly before the single check character.", tolerated: false);
                return false;
            }
            body = upper[..hash];
            check = upper[^1];
            return true;
        }

        private void CheckCharacter(string canonicalBody, char? check)
        {
            if (check is null)
                Report(UvciIssue.MissingCheckCharacter, "The UVCI has no '#' check character.", tolerated: mode != UvciMode.VaxCert);
            else if (!LuhnMod38.IsValid(canonicalBody, check.Value))
                Report(UvciIssue.WrongCheckCharacter, "The UVCI check character does not match (Luhn mod 38): likely a typing error.",
                    tolerated: mode == UvciMode.Lenient);
        }

        private void Report(UvciIssue issue, string message, bool tolerated) =>
            (tolerated ? _warnings : _errors).Add(new UvciFinding(issue, message));

        private UvciValidation Fail(UvciIssue issue, string message)
        {
            _errors.Add(new UvciFinding(issue, message));
            return Result(null, null, null);
        }

        private UvciValidation Result(string? country, string? issuerPart, char? check, string? canonical = null) =>
            new(country, issuerPart, check, canonical, _errors, _warnings);

        private static string AsciiUpper(string text) =>
            string.Create(text.Length, text, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                    span[i] = source[i] is >= 'a' and <= 'z' ? (char)(source[i] - 32) : source[i];
            });

        private static string Describe(char c) =>
            c is > ' ' and < '\u007f' ? $"'{c}'" : $"U+{(int)c:X4}";
    }
}
