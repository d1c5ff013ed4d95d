using System.Text;

namespace VaxCert.Server.Issuance;

/// <summary>Stable reason codes of refusals: enum names in UPPER_SNAKE_CASE plus the service's own codes.</summary>
public static class ReasonCodes
{
    /// <summary>The facility code is not the facility part of the record's UVCI.</summary>
    public const string FacilityCodeMismatch = "FACILITY_CODE_MISMATCH";
    /// <summary>The facility record id was issued before with different content.</summary>
    public const string FacilityRecordIdReused = "FACILITY_RECORD_ID_REUSED";
    /// <summary>The UVCI already belongs to another record.</summary>
    public const string UvciTaken = "UVCI_TAKEN";
    /// <summary>The facility record id looks like a CCCD, CMND or passport number (PersonalIdentifierLikeness); never echoed.</summary>
    public const string RecordIdLooksLikePersonalId = "RECORD_ID_LOOKS_LIKE_PERSONAL_ID";
    /// <summary>The UVCI is not the keyed derivation for (facility, record id) (<c>UvciKey.Derive</c>).</summary>
    public const string UvciNotDerived = "UVCI_NOT_DERIVED";
    /// <summary>A required request field is missing.</summary>
    public const string Required = "REQUIRED";
    /// <summary>A request field is malformed (length, characters).</summary>
    public const string Format = "FORMAT";

    /// <summary>"RecordChangedAfterSigning" → "RECORD_CHANGED_AFTER_SIGNING".</summary>
    public static string FromName(string pascalCase) => ToSnake(pascalCase).ToUpperInvariant();

    /// <summary>"DateOfBirth" → "date_of_birth" (the proto field of a record property).</summary>
    public static string ToSnake(string pascalCase)
    {
        var b = new StringBuilder(pascalCase.Length + 8);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascalCase[i - 1]) || char.IsDigit(pascalCase[i - 1])
                                             || i + 1 < pascalCase.Length && char.IsLower(pascalCase[i + 1])))
                b.Append('_');
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }
}
