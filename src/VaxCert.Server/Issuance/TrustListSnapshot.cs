using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Uvci;
using VaxCert.Ledger;

namespace VaxCert.Server.Issuance;

/// <summary>What kind of key a published certificate holds.</summary>
public enum TrustedKeyType
{
    /// <summary>Ministry document signer (signs the QR certificates).</summary>
    Dsc,
    /// <summary>Vaccination facility certificate (co-signs issuance requests).</summary>
    Facility,
    /// <summary>Facility CA (issues facility certificates).</summary>
    FacilityCa,
}

/// <summary>One published certificate.</summary>
/// <param name="Type">Kind of key.</param>
/// <param name="Certificate">The certificate (public part).</param>
/// <param name="KeyId">SHA-256(DER)[0..8].</param>
public sealed record TrustedCertificateEntry(TrustedKeyType Type, X509Certificate2 Certificate, byte[] KeyId);

/// <summary>Everything a verifier needs offline, as assembled at <see cref="GeneratedAt"/>.</summary>
/// <param name="Certificates">Document signers, facility CAs and facility certificates.</param>
/// <param name="RevokedUvciHashes">SHA-256 of the UTF-8 UVCI of each revoked certificate, in revocation order.</param>
/// <param name="GeneratedAt">When the list was assembled.</param>
public sealed record TrustListSnapshot(IReadOnlyList<TrustedCertificateEntry> Certificates, IReadOnlyList<byte[]> RevokedUvciHashes,
    DateTimeOffset GeneratedAt);

/// <summary>How a revocation ended.</summary>
public enum RevocationStatus
{
    /// <summary>Revoked by this call.</summary>
    Revoked,
    /// <summary>It had been revoked before; the first revocation stands.</summary>
    AlreadyRevoked,
    /// <summary>No certificate has this UVCI.</summary>
    NotFound,
    /// <summary>The request was invalid (see the message).</summary>
    Invalid,
}

/// <summary>The outcome of a revocation.</summary>
/// <param name="Status">What happened.</param>
/// <param name="RevokedAt">When the (first) revocation was recorded.</param>
/// <param name="Field">The request field at fault when <see cref="RevocationStatus.Invalid"/> ("Uvci" or "Reason").</param>
/// <param name="Message">Operator message for Invalid.</param>
public sealed record RevocationOutcome(RevocationStatus Status, DateTimeOffset? RevokedAt, string? Field = null, string? Message = null);

/// <summary>The outcome of a mass revocation: the ledger's counts, or why the request is invalid.</summary>
/// <param name="Result">Counts and the BulkRevoked audit seq; null when invalid.</param>
/// <param name="Reason">Reason code when invalid (REQUIRED, FORMAT).</param>
/// <param name="Field">The request field at fault ("FacilityCode", "Kid", "Reason").</param>
/// <param name="Message">Operator message when invalid.</param>
public sealed record MassRevocationOutcome(VaxCert.Ledger.BulkRevokeResult? Result, string? Reason, string? Field, string? Message)
{
    /// <summary>An invalid request.</summary>
    public static MassRevocationOutcome Invalid(string reason, string field, string message) => new(null, reason, field, message);

    /// <summary>The request checks shared by gRPC and the CLI: an Invalid outcome, or null when the request is well-formed.</summary>
    public static MassRevocationOutcome? Check(VaxCert.Ledger.RevocationScope scope, string? reason)
    {
        ArgumentNullException.ThrowIfNull(scope);
        switch (scope)
        {
            case RevocationScope.Facility { Code: var code } when string.IsNullOrEmpty(code):
                return Invalid(ReasonCodes.Required, "FacilityCode", "facility_code is required");
            case RevocationScope.Facility { Code: var code } when !UvciFormat.IsSegment(code):
                return Invalid(ReasonCodes.Format, "FacilityCode", "facility_code must hold only A-Z and 0-9");
            case RevocationScope.Signer { Kid: var kid } when kid is not { Length: > 0 }:
                return Invalid(ReasonCodes.Required, "Kid", "kid is required");
            case RevocationScope.Signer { Kid: var kid } when kid.Length > 64:
                return Invalid(ReasonCodes.Format, "Kid", "kid must be at most 64 bytes (a DCC kid has 8)");
        }
        if (string.IsNullOrWhiteSpace(reason))
            return Invalid(ReasonCodes.Required, "Reason", "reason is required");
        if (reason.Length > CertificateIssuanceService.MaxRevocationReasonLength || reason.Any(char.IsControl))
            return Invalid(ReasonCodes.Format, "Reason",
                $"reason must be at most {CertificateIssuanceService.MaxRevocationReasonLength} characters, without control characters");
        return null;
    }
}
