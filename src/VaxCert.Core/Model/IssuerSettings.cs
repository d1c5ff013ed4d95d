namespace VaxCert.Core.Model;

/// <summary>Configuration of the issuing authority: what goes into iss, v.co and v.is.</summary>
public sealed record IssuerSettings
{
    /// <summary>CWT iss and DCC v.co: ISO 3166-1 alpha-2 of the issuing country.</summary>
    public string Country { get; init; } = "VN";

    /// <summary>DCC v.is (at most 80 characters).</summary>
    public string IssuerName { get; init; } = "Ministry of Health of Viet Nam";

    /// <summary>How long a certificate is valid after issue (Decision 5772: 12 months).</summary>
    public int ValidityMonths { get; init; } = 12;

    /// <summary>DCC schema version written into ver.</summary>
    public string SchemaVersion { get; init; } = "1.3.3";

    public static IssuerSettings Default { get; } = new();
}
