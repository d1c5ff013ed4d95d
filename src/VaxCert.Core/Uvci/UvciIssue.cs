namespace VaxCert.Core.Uvci;

/// <summary>What is wrong with a UVCI string. Stable names: they appear in validation errors and verifier reports.</summary>
public enum UvciIssue
{
    /// <summary>Null, empty or blank.</summary>
    Empty,
    /// <summary>Longer than the DCC's 80 characters.</summary>
    TooLong,
    /// <summary>Does not start with "URN:UVCI:" (lenient mode: warning).</summary>
    MissingPrefix,
    /// <summary>Contains lower-case letters (lenient mode: warning).</summary>
    LowerCase,
    /// <summary>The version field is not "01".</summary>
    UnsupportedVersion,
    /// <summary>The country field is not two letters A-Z.</summary>
    InvalidCountry,
    /// <summary>The country is well formed but not the one expected by the caller.</summary>
    UnexpectedCountry,
    /// <summary>No issuer-chosen part after the country.</summary>
    MissingIssuerPart,
    /// <summary>A character outside A-Z, 0-9, '/', ':' and '#'.</summary>
    InvalidCharacter,
    /// <summary>An empty field or part ("::", "//", a separator at either end) or a '#' not directly before the last character.</summary>
    MisplacedSeparator,
    /// <summary>No "#" check character (strict VaxCert mode: error; Annex 2 and lenient mode: allowed).</summary>
    MissingCheckCharacter,
    /// <summary>The check character does not match the Luhn mod 38 of the rest (lenient mode: warning).</summary>
    WrongCheckCharacter,
}

/// <summary>One finding about a UVCI, with an English explanation that never repeats the whole identifier.</summary>
public sealed record UvciFinding(UvciIssue Issue, string Message);
