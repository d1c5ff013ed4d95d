namespace VaxCert.Ledger;

/// <summary>The details recorded for each ledger event: identifiers and hashes only, never personal data.</summary>
internal static class AuditDetailsFor
{
    public static string Issued(CertificateToRecord c) => AuditDetails.Of(
        ("facility_record_id", c.FacilityRecordId),
        ("record_hash", Convert.ToHexStringLower(c.RecordHash)),
        ("signer_kid", Convert.ToHexStringLower(c.SignerKid)),
        ("expires_at", c.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

    public static string Conflict(LedgerEntry existing, CertificateToRecord attempted) => AuditDetails.Of(
        ("reason", "facility-record-id-reused"),
        ("facility_record_id", attempted.FacilityRecordId),
        ("existing_record_hash", Convert.ToHexStringLower(existing.Certificate.RecordHash)),
        ("attempted_record_hash", Convert.ToHexStringLower(attempted.RecordHash)),
        ("attempted_uvci", attempted.Uvci));

    public static string Revoked(string reason) => AuditDetails.Of(("reason", reason));
}
