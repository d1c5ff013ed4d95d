namespace VaxCert.Core.Validation;

/// <summary>Which rule a field broke. Stable names: they appear in gRPC errors, rejection reports and docs.</summary>
public enum ValidationRule
{
    /// <summary>A required value is missing or empty.</summary>
    Required,
    /// <summary>Text is longer than allowed (80 characters in the DCC).</summary>
    TooLong,
    /// <summary>The value is not in the expected format (date, code pattern, UVCI syntax, ...).</summary>
    Format,
    /// <summary>A number or date lies outside its allowed range.</summary>
    OutOfRange,
    /// <summary>The code is not in its EU value set.</summary>
    NotInValueSet,
    /// <summary>The code is valid in the EU but Viet Nam's issuance policy does not allow it.</summary>
    NotAllowedByPolicy,
    /// <summary>Values are individually valid but do not fit together (product vs manufacturer vs type, dose numbers).</summary>
    Inconsistent,
    /// <summary>A date lies in the future.</summary>
    InFuture,
    /// <summary>A date lies before the earliest allowed date.</summary>
    TooEarly,
    /// <summary>The text contains characters that cannot be represented (control characters, unmappable letters).</summary>
    InvalidCharacters,
}

/// <summary>One field-level problem in a record, reported before anything is signed.</summary>
/// <param name="Field">The record property, e.g. "DateOfVaccination".</param>
/// <param name="DccPath">Where the field lives in the EU DCC, e.g. "v[0].dt" (or a claim name for nationality).</param>
/// <param name="Rule">The rule that failed.</param>
/// <param name="Message">A human explanation in English, without personal data beyond the offending value's shape.</param>
public sealed record ValidationError(string Field, string DccPath, ValidationRule Rule, string Message)
{
    public override string ToString() => $"{Field} ({DccPath}): {Rule}: {Message}";
}
