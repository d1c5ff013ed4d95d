using System.Globalization;

namespace VaxCert.Ledger;

/// <summary>
/// The details recorded for each ledger event: identifiers and hashes only, never personal data. Issued and Revoked
/// details carry everything <see cref="LedgerStateCheck"/> needs to recompute the certificates table from the log.
/// </summary>
internal static class AuditDetailsFor
{
    public const string CertificateDigestField = "certificate_sha256";
    public const string ReasonField = "reason";
    public const string RevokedAtField = "revoked_at";

    public static string Issued(CertificateToRecord c) => AuditDetails.Of(
        ("facility_record_id", c.FacilityRecordId),
        ("record_hash", Convert.ToHexStringLower(c.RecordHash)),
        ("signer_kid", Convert.ToHexStringLower(c.SignerKid)),
        ("expires_at", c.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        (CertificateDigestField, Convert.ToHexStringLower(CertificateDigest.Compute(c))));

    /// <summary>The Issued details of the new certificate plus the link: the certificate it re-issues and its generation.</summary>
    public static string Reissued(CertificateToRecord c) => AuditDetails.Of(
        ("facility_record_id", c.FacilityRecordId),
        ("record_hash", Convert.ToHexStringLower(c.RecordHash)),
        ("signer_kid", Convert.ToHexStringLower(c.SignerKid)),
        ("expires_at", c.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        ("reissue_of", c.ReissueOf!),
        ("generation", c.Generation.ToString(CultureInfo.InvariantCulture)),
        (CertificateDigestField, Convert.ToHexStringLower(CertificateDigest.Compute(c))));

    public static string Conflict(LedgerEntry existing, CertificateToRecord attempted) => AuditDetails.Of(
        (ReasonField, "facility-record-id-reused"),
        ("facility_record_id", attempted.FacilityRecordId),
        ("existing_record_hash", Convert.ToHexStringLower(existing.Certificate.RecordHash)),
        ("attempted_record_hash", Convert.ToHexStringLower(attempted.RecordHash)),
        ("attempted_uvci", attempted.Uvci));

    public static string Revoked(string reason, DateTimeOffset revokedAt) => AuditDetails.Of(
        (ReasonField, reason),
        (RevokedAtField, LedgerTime.ToUnixMicroseconds(revokedAt).ToString(CultureInfo.InvariantCulture)));
}
