using System.Text.Json.Nodes;
using VaxCert.Core.Model;

namespace VaxCert.Verifier;

/// <summary>
/// What the certificate says, as decoded (whether or not it verified: check <see cref="VerificationResult.Outcome"/> before
/// trusting any of it). Immutable: the DCC is exposed as JSON text or as a fresh copy.
/// </summary>
public sealed class DecodedCertificate
{
    private readonly JsonObject _dcc;
    private string? _dccJson;

    internal DecodedCertificate(JsonObject dcc, string? issuer, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt,
        string? nationality, DccTypes type, VaccinationRecord? record)
    {
        _dcc = dcc;
        Issuer = issuer;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        Nationality = nationality;
        Type = type;
        Record = record;
    }

    /// <summary>CWT iss: the issuing country.</summary>
    public string? Issuer { get; }

    /// <summary>CWT iat.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>CWT exp.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>VaxCert's private nationality claim, when present.</summary>
    public string? Nationality { get; }

    /// <summary>v, t or r; None when the DCC holds none or several.</summary>
    public DccTypes Type { get; }

    /// <summary>
    /// The 11 fields of Decision 5772 for a vaccination certificate: never null when the answer is Valid and
    /// <see cref="Type"/> is Vaccination. Null for test/recovery, and for vaccination content that is not a real record
    /// (impossible dates, fractional doses), which is never Valid.
    /// </summary>
    public VaccinationRecord? Record { get; }

    /// <summary>The DCC (ver, nam, dob, v/t/r) as compact JSON text; built on first use.</summary>
    public string DccJson => _dccJson ??= _dcc.ToJsonString();

    /// <summary>A copy of the DCC tree (the caller may modify it).</summary>
    public JsonObject GetDcc() => (JsonObject)_dcc.DeepClone();

    internal JsonObject DccNode => _dcc;
}

/// <summary>The trusted signer certificate that verified the signature.</summary>
/// <param name="KeyId">The 8-byte kid.</param>
/// <param name="Subject">The certificate subject.</param>
/// <param name="Country">The signer's country (trust-list entry, else the subject's C).</param>
/// <param name="Thumbprint">SHA-256 of the certificate DER, hex.</param>
public sealed record SignerInfo(string KeyId, string Subject, string Country, string Thumbprint);
