namespace VaxCert.Ledger;

/// <summary>Lifecycle state of an issued certificate.</summary>
public enum CertificateStatus
{
    /// <summary>Issued and not revoked.</summary>
    Issued,

    /// <summary>Revoked; it appears on the revocation list.</summary>
    Revoked,
}

/// <summary>
/// What the server hands to the ledger after signing. Holds no personal identifiers (no CCCD/CMND): only the certificate
/// identifier, the facility's idempotency key, hashes and opaque bytes.
/// </summary>
/// <param name="Uvci">Unique vaccination certificate identifier.</param>
/// <param name="FacilityCode">Code of the facility that co-signed the record.</param>
/// <param name="FacilityRecordId">The facility's own id of the record; unique per facility (the idempotency key).</param>
/// <param name="RecordHash">SHA-256 (32 bytes) of the canonical signed content, computed by the caller.</param>
/// <param name="FacilityAttestation">The facility's co-signature (kid + alg + signature), opaque to the ledger.</param>
/// <param name="SignerKid">Key identifier of the ministry key that signed the certificate.</param>
/// <param name="IssuedAt">Issuance time (stored with microsecond precision).</param>
/// <param name="ExpiresAt">Expiry of the certificate (stored with microsecond precision).</param>
/// <param name="Hc1">The <c>HC1:</c> string, kept so the certificate can be displayed again.</param>
/// <param name="Generation">1 for a certificate issued from a facility's record; n + 1 for a re-issue of a generation-n certificate.</param>
/// <param name="ReissueOf">The UVCI of the certificate this one re-issues (null for generation 1). The ledger keeps at most one
/// re-issue of any certificate (unique), so (old certificate, generation) is the idempotency key of a re-issue.</param>
public sealed record CertificateToRecord(
    string Uvci,
    string FacilityCode,
    string FacilityRecordId,
    byte[] RecordHash,
    byte[] FacilityAttestation,
    byte[] SignerKid,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string Hc1,
    int Generation = 1,
    string? ReissueOf = null)
{
    /// <summary>True for a re-issue (generation above 1, linked to the certificate it replaces).</summary>
    public bool IsReissue => ReissueOf is not null;
}

/// <summary>A certificate as stored in the ledger.</summary>
/// <param name="Certificate">The issuance data as recorded.</param>
/// <param name="Status">Issued or revoked.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="RevocationReason">Why it was revoked, if it was.</param>
public sealed record LedgerEntry(
    CertificateToRecord Certificate,
    CertificateStatus Status,
    DateTimeOffset? RevokedAt,
    string? RevocationReason)
{
    /// <summary>Shortcut for <c>Certificate.Uvci</c>.</summary>
    public string Uvci => Certificate.Uvci;
}

/// <summary>How <see cref="ICertificateLedger.RecordIssuedAsync"/> ended.</summary>
public enum RecordOutcome
{
    /// <summary>The certificate and its audit entry were written.</summary>
    Recorded,

    /// <summary>The same (facility, record id) with the same record hash was already recorded; nothing was written.</summary>
    AlreadyIssued,

    /// <summary>The (facility, record id) is already recorded for DIFFERENT content; nothing but a Refused audit entry was written.</summary>
    Conflict,

    /// <summary>The UVCI is already used by another record; nothing was written (the caller should mint a new UVCI).</summary>
    UvciTaken,
}

/// <summary>Result of recording an issued certificate.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Entry">The stored entry: the new one (Recorded), or the one already there (AlreadyIssued, Conflict); null for UvciTaken.</param>
public sealed record RecordResult(RecordOutcome Outcome, LedgerEntry? Entry);

/// <summary>How <see cref="ICertificateLedger.RevokeAsync"/> ended.</summary>
public enum RevokeOutcome
{
    /// <summary>The certificate was revoked now.</summary>
    Revoked,

    /// <summary>It had already been revoked; the first revocation stands.</summary>
    AlreadyRevoked,

    /// <summary>No certificate has this UVCI.</summary>
    NotFound,
}

/// <summary>Result of a revocation.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Entry">The stored entry after the call; null when not found.</param>
public sealed record RevokeResult(RevokeOutcome Outcome, LedgerEntry? Entry);

/// <summary>One line of the revocation list published with the trust list.</summary>
public sealed record RevokedCertificate(string Uvci, DateTimeOffset RevokedAt);

/// <summary>Counters kept in the same transactions as the data they count, so reading them costs one row.</summary>
/// <param name="Certificates">Certificates ever recorded (issued or revoked).</param>
/// <param name="Revoked">Certificates revoked.</param>
/// <param name="AuditEntries">Entries in the audit chain.</param>
public sealed record LedgerCounts(long Certificates, long Revoked, long AuditEntries);

/// <summary>Outcome of a health probe.</summary>
/// <param name="Healthy">True when the database answered and the schema is at the expected version.</param>
/// <param name="Detail">Human-readable detail (never contains connection secrets).</param>
public sealed record LedgerHealth(bool Healthy, string Detail);
