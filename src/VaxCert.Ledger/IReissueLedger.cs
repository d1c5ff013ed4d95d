namespace VaxCert.Ledger;

/// <summary>
/// What re-issue needs from a ledger beside <see cref="ICertificateLedger"/> (docs/ledger.md, "Re-issue"): the certificates
/// a re-issue run selects, in a stable order (by UVCI) so that an interrupted run resumes after a cursor, each with the UVCI
/// of its re-issue if it already has one. The re-issued certificates themselves are recorded through
/// <see cref="ICertificateLedger.RecordIssuedManyAsync"/> (group commit) with <see cref="CertificateToRecord.ReissueOf"/>
/// set: the ledger writes a <see cref="AuditEvent.Reissued"/> entry for each, and its unique link keeps at most one re-issue
/// of any certificate across every instance. Both SQL ledgers implement it.
/// </summary>
public interface IReissueLedger
{
    /// <summary>
    /// Up to <paramref name="limit"/> certificates of <paramref name="selection"/> with a UVCI after
    /// <paramref name="afterUvci"/> (null: from the start), in UVCI order (ordinal on SQLite, the column's collation on
    /// PostgreSQL; stable either way), with their successor's UVCI when they were re-issued before.
    /// </summary>
    Task<IReadOnlyList<ReissueCandidate>> ListReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>How many certificates <paramref name="selection"/> holds after <paramref name="afterUvci"/> (null: all of them).</summary>
    Task<long> CountReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, CancellationToken cancellationToken = default);

    /// <summary>The certificate that re-issues <paramref name="uvci"/>, or null when it has not been re-issued.</summary>
    Task<LedgerEntry?> FindReissueOfAsync(string uvci, CancellationToken cancellationToken = default);
}

/// <summary>Which certificates a re-issue run covers.</summary>
public abstract record ReissueSelection
{
    private ReissueSelection() { }

    /// <summary>Name recorded in the BulkReissued audit entry ("uvci" or "expiring").</summary>
    public abstract string Kind { get; }

    /// <summary>One certificate (a person asks for a new QR).</summary>
    public sealed record One(string Uvci) : ReissueSelection
    {
        /// <inheritdoc />
        public override string Kind => "uvci";
    }

    /// <summary>Every certificate that expires before <paramref name="Before"/>, optionally only those of one facility.</summary>
    public sealed record Expiring(DateTimeOffset Before, string? FacilityCode) : ReissueSelection
    {
        /// <inheritdoc />
        public override string Kind => "expiring";
    }
}

/// <summary>One selected certificate.</summary>
/// <param name="Entry">The stored certificate (its HC1 is what gets re-issued).</param>
/// <param name="SuccessorUvci">The UVCI of its re-issue when it already has one (the run skips it), else null.</param>
public sealed record ReissueCandidate(LedgerEntry Entry, string? SuccessorUvci);
