using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;
using VaxCert.Ledger;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Server.Metrics;

/// <summary>Times each signature of the wrapped signer; everything else passes through.</summary>
internal sealed class MeteredSigner(ICoseSigner inner, IssuanceMetrics metrics) : ICoseSigner
{
    public CoseAlgorithm Algorithm => inner.Algorithm;

    public X509Certificate2 Certificate => inner.Certificate;

    public ReadOnlyMemory<byte> KeyId => inner.KeyId;

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var start = Stopwatch.GetTimestamp();
        try { return inner.Sign(data); }
        finally { metrics.SignerTime(IssuanceMetrics.Since(start)); }
    }

    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await inner.SignAsync(data, cancellationToken).ConfigureAwait(false); }
        finally { metrics.SignerTime(IssuanceMetrics.Since(start)); }
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>Times each durable record of an issued certificate; everything else passes through.</summary>
internal sealed class MeteredLedger(ICertificateLedger inner, IssuanceMetrics metrics) : ICertificateLedger, IRevocationLedger, IMerkleAuditLog, IReissueLedger
{
    // The Merkle audit log is found by type test too (docs/ledger.md, "Merkle audit log").
    private IMerkleAuditLog Merkle => inner as IMerkleAuditLog
        ?? throw new LedgerException("this ledger has no Merkle audit log");

    public ITreeHeadSigner? CommitSigner
    {
        get => Merkle.CommitSigner;
        set => Merkle.CommitSigner = value;
    }

    public Task<SignedTreeHead> SignTreeHeadAsync(ITreeHeadSigner signer, CancellationToken cancellationToken = default) =>
        Merkle.SignTreeHeadAsync(signer, cancellationToken);

    public Task<SignedTreeHead?> GetLatestTreeHeadAsync(CancellationToken cancellationToken = default) => Merkle.GetLatestTreeHeadAsync(cancellationToken);

    public Task<SignedTreeHead?> GetTreeHeadAsync(long treeSize, CancellationToken cancellationToken = default) =>
        Merkle.GetTreeHeadAsync(treeSize, cancellationToken);

    public IAsyncEnumerable<SignedTreeHead> ListTreeHeadsAsync(CancellationToken cancellationToken = default) => Merkle.ListTreeHeadsAsync(cancellationToken);

    public Task<byte[]> GetRootAsync(long treeSize, CancellationToken cancellationToken = default) => Merkle.GetRootAsync(treeSize, cancellationToken);

    public Task<InclusionProof?> GetInclusionProofAsync(long seq, long treeSize, CancellationToken cancellationToken = default) =>
        Merkle.GetInclusionProofAsync(seq, treeSize, cancellationToken);

    public Task<InclusionProof?> GetInclusionProofAsync(string uvci, long treeSize, CancellationToken cancellationToken = default) =>
        Merkle.GetInclusionProofAsync(uvci, treeSize, cancellationToken);

    public Task<byte[][]> GetConsistencyProofAsync(long first, long second, CancellationToken cancellationToken = default) =>
        Merkle.GetConsistencyProofAsync(first, second, cancellationToken);

    public Task<MerkleLogReport> VerifyMerkleLogAsync(System.Security.Cryptography.ECDsa? logKey, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) => Merkle.VerifyMerkleLogAsync(logKey, progress, cancellationToken);

    // Re-issue finds its capability by type test too.
    private IReissueLedger Reissues => inner as IReissueLedger ?? throw new LedgerException("this ledger does not support re-issue");

    public Task<IReadOnlyList<ReissueCandidate>> ListReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, int limit,
        CancellationToken cancellationToken = default) => Reissues.ListReissueCandidatesAsync(selection, afterUvci, limit, cancellationToken);

    public Task<long> CountReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, CancellationToken cancellationToken = default) =>
        Reissues.CountReissueCandidatesAsync(selection, afterUvci, cancellationToken);

    public Task<LedgerEntry?> FindReissueOfAsync(string uvci, CancellationToken cancellationToken = default) =>
        Reissues.FindReissueOfAsync(uvci, cancellationToken);

    // Mass revocation and the revocation-list publisher find their capability by type test: the decorator must not hide it.
    private IRevocationLedger Revocations => inner as IRevocationLedger
        ?? throw new LedgerException("this ledger does not support mass revocation or revocation lists");

    public Task<BulkRevokeResult> RevokeAllAsync(RevocationScope scope, string reason, string actor, CancellationToken cancellationToken = default) =>
        Revocations.RevokeAllAsync(scope, reason, actor, cancellationToken);

    public IAsyncEnumerable<RevocationRecord> ListRevocationsAsync(long afterSeq, long upToSeq, CancellationToken cancellationToken = default) =>
        Revocations.ListRevocationsAsync(afterSeq, upToSeq, cancellationToken);

    public Task<long> GetAuditHeadSeqAsync(CancellationToken cancellationToken = default) => Revocations.GetAuditHeadSeqAsync(cancellationToken);

    public async Task<RecordResult> RecordIssuedAsync(CertificateToRecord certificate, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await inner.RecordIssuedAsync(certificate, cancellationToken).ConfigureAwait(false); }
        finally { metrics.LedgerCommitTime(IssuanceMetrics.Since(start)); }
    }

    public async Task<IReadOnlyList<RecordResult>> RecordIssuedManyAsync(IReadOnlyList<CertificateToRecord> certificates,
        CancellationToken cancellationToken = default)
    {
        // One observation per group write: the latency a batch waits for its durable commit.
        var start = Stopwatch.GetTimestamp();
        try { return await inner.RecordIssuedManyAsync(certificates, cancellationToken).ConfigureAwait(false); }
        finally { metrics.LedgerCommitTime(IssuanceMetrics.Since(start)); }
    }

    public Task<IReadOnlyList<LedgerEntry?>> FindByFacilityRecordsAsync(IReadOnlyList<(string FacilityCode, string FacilityRecordId)> keys,
        CancellationToken cancellationToken = default) => inner.FindByFacilityRecordsAsync(keys, cancellationToken);

    public Task<RevokeResult> RevokeAsync(string uvci, string reason, CancellationToken cancellationToken = default) =>
        inner.RevokeAsync(uvci, reason, cancellationToken);

    public Task<LedgerEntry?> FindByUvciAsync(string uvci, CancellationToken cancellationToken = default) =>
        inner.FindByUvciAsync(uvci, cancellationToken);

    public Task<LedgerEntry?> FindByFacilityRecordAsync(string facilityCode, string facilityRecordId, CancellationToken cancellationToken = default) =>
        inner.FindByFacilityRecordAsync(facilityCode, facilityRecordId, cancellationToken);

    public IAsyncEnumerable<RevokedCertificate> ListRevokedAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        inner.ListRevokedAsync(since, cancellationToken);

    public Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, string subject, string facility, string detailsJson,
        CancellationToken cancellationToken = default) => inner.AppendAuditAsync(auditEvent, subject, facility, detailsJson, cancellationToken);

    public IAsyncEnumerable<AuditEntry> ReadAuditAsync(long afterSeq = 0, CancellationToken cancellationToken = default) =>
        inner.ReadAuditAsync(afterSeq, cancellationToken);

    public Task<AuditChainReport> VerifyAuditChainAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        inner.VerifyAuditChainAsync(progress, cancellationToken);

    public Task<LedgerCounts> GetCountsAsync(CancellationToken cancellationToken = default) => inner.GetCountsAsync(cancellationToken);

    public Task<LedgerHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
