namespace VaxCert.Ledger;

/// <summary>
/// The durable record of every issued and revoked certificate, with a tamper-evident audit chain. Implementations are
/// safe to share between threads and between server instances using the same database.
/// </summary>
/// <remarks>
/// Exactly-once issuance: the server calls <see cref="FindByFacilityRecordAsync"/>, signs only when nothing is found, and
/// then calls <see cref="RecordIssuedAsync"/>, which resolves any race with a concurrent duplicate itself.
/// </remarks>
public interface ICertificateLedger : IAsyncDisposable
{
    /// <summary>
    /// Atomically stores the certificate and its Issued audit entry. A concurrent or earlier duplicate of the same
    /// (facility, record id) is never stored twice: the stored entry comes back as AlreadyIssued (same record hash) or
    /// Conflict (different record hash, which also appends a Refused audit entry).
    /// </summary>
    Task<RecordResult> RecordIssuedAsync(CertificateToRecord certificate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records several certificates with the same per-record semantics as <see cref="RecordIssuedAsync"/>, results in input
    /// order. They join the ledger's commit queue with concurrent single calls and are written in as few transactions as
    /// possible (group commit: one durable flush per group); each result is returned only after its group committed.
    /// </summary>
    Task<IReadOnlyList<RecordResult>> RecordIssuedManyAsync(IReadOnlyList<CertificateToRecord> certificates,
        CancellationToken cancellationToken = default);

    /// <summary>The entries with these idempotency keys (null where none), in input order; a few queries for the whole list.</summary>
    Task<IReadOnlyList<LedgerEntry?>> FindByFacilityRecordsAsync(IReadOnlyList<(string FacilityCode, string FacilityRecordId)> keys,
        CancellationToken cancellationToken = default);

    /// <summary>Revokes a certificate; idempotent (the first revocation's time and reason stand).</summary>
    Task<RevokeResult> RevokeAsync(string uvci, string reason, CancellationToken cancellationToken = default);

    /// <summary>The entry with this UVCI, or null.</summary>
    Task<LedgerEntry?> FindByUvciAsync(string uvci, CancellationToken cancellationToken = default);

    /// <summary>The entry with this idempotency key, or null.</summary>
    Task<LedgerEntry?> FindByFacilityRecordAsync(string facilityCode, string facilityRecordId, CancellationToken cancellationToken = default);

    /// <summary>Streams revoked certificates ordered by revocation time (optionally only those revoked at or after <paramref name="since"/>).</summary>
    IAsyncEnumerable<RevokedCertificate> ListRevokedAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default);

    /// <summary>Appends an audit entry that has no certificate write attached (e.g. a refused request).</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="subject">UVCI concerned, or empty.</param>
    /// <param name="facility">Facility code concerned, or empty.</param>
    /// <param name="detailsJson">A JSON object; must not contain personal data.</param>
    /// <param name="cancellationToken">Cancels the append (nothing is written).</param>
    Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, string subject, string facility, string detailsJson,
        CancellationToken cancellationToken = default);

    /// <summary>Streams the audit chain in sequence order, starting after <paramref name="afterSeq"/>.</summary>
    IAsyncEnumerable<AuditEntry> ReadAuditAsync(long afterSeq = 0, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain (streaming) and reports the first broken entry, or OK with the count.</summary>
    /// <param name="progress">Receives the number of entries checked so far, every few thousand entries.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    Task<AuditChainReport> VerifyAuditChainAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Certificate, revocation and audit counts (one-row read).</summary>
    Task<LedgerCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>A cheap probe: one round trip; never throws for database errors, reports them instead.</summary>
    Task<LedgerHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}
