using System.Security.Cryptography;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Ledger;

/// <summary>
/// The audit log as an RFC 9162 (Certificate Transparency style) Merkle log: leaf i is audit entry seq i + 1, leaf input
/// its entry hash. Implemented by both SQL ledgers beside <see cref="ICertificateLedger"/> (docs/ledger.md, "Merkle audit
/// log"). Proofs read O(log n) stored subtree hashes, never the leaves.
/// </summary>
public interface IMerkleAuditLog
{
    /// <summary>
    /// When set, every append transaction (each group commit, each revocation) also stores a tree head signed with this
    /// signer for its new size, atomically with the entries. Null (the default): heads only from <see cref="SignTreeHeadAsync"/>.
    /// </summary>
    ITreeHeadSigner? CommitSigner { get; set; }

    /// <summary>Signs and stores a head for the log's current size (returns the stored one when that size already has one).</summary>
    Task<SignedTreeHead> SignTreeHeadAsync(ITreeHeadSigner signer, CancellationToken cancellationToken = default);

    /// <summary>The newest stored signed head, or null when none was signed yet.</summary>
    Task<SignedTreeHead?> GetLatestTreeHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored signed head for exactly this size, or null.</summary>
    Task<SignedTreeHead?> GetTreeHeadAsync(long treeSize, CancellationToken cancellationToken = default);

    /// <summary>Every stored signed head, by size.</summary>
    IAsyncEnumerable<SignedTreeHead> ListTreeHeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>MTH of the first <paramref name="treeSize"/> entries, from stored subtrees (O(log n) reads).</summary>
    Task<byte[]> GetRootAsync(long treeSize, CancellationToken cancellationToken = default);

    /// <summary>The inclusion proof of entry <paramref name="seq"/> in the tree of <paramref name="treeSize"/> entries, or null when there is no such entry.</summary>
    Task<InclusionProof?> GetInclusionProofAsync(long seq, long treeSize, CancellationToken cancellationToken = default);

    /// <summary>The inclusion proof of the Issued entry of <paramref name="uvci"/>, or null when it has none within the tree.</summary>
    Task<InclusionProof?> GetInclusionProofAsync(string uvci, long treeSize, CancellationToken cancellationToken = default);

    /// <summary>The RFC 9162 consistency proof between the trees of <paramref name="first"/> and <paramref name="second"/> entries.</summary>
    Task<byte[][]> GetConsistencyProofAsync(long first, long second, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recomputes the tree from the entries' content (streaming) and checks every stored head: its root at its size, its
    /// signature (when <paramref name="logKey"/> is given), consistency with the previous head through a proof built from
    /// the stored subtrees, and the stored subtrees' root at the log's size. Reports the first problem.
    /// </summary>
    Task<MerkleLogReport> VerifyMerkleLogAsync(ECDsa? logKey, IProgress<long>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>An audit entry, its position and its audit path in a tree of <paramref name="TreeSize"/> entries.</summary>
public sealed record InclusionProof(AuditEntry Entry, long TreeSize, byte[][] Path)
{
    /// <summary>Leaf index: seq - 1.</summary>
    public long LeafIndex => Entry.Seq - 1;

    /// <summary>The leaf hash recomputed from the entry's content (never the stored hash).</summary>
    public byte[] LeafHash => MerkleTree.LeafHash(AuditHash.Compute(Entry));

    /// <summary>True when the path leads from this entry to <paramref name="root"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> root) => MerkleTree.VerifyInclusion(LeafIndex, TreeSize, LeafHash, Path, root);
}

/// <summary>What is wrong with the Merkle log.</summary>
public enum MerkleBreakKind
{
    /// <summary>A head's root is not the root recomputed from the entries at its size (an entry was changed, or the head forged).</summary>
    RootMismatch,

    /// <summary>A head's signature does not verify with the log key.</summary>
    BadSignature,

    /// <summary>A head covers more entries than the log has (entries were cut off).</summary>
    HeadBeyondLog,

    /// <summary>The consistency proof between two consecutive heads, built from the stored subtrees, does not verify.</summary>
    Inconsistent,

    /// <summary>The stored subtrees do not give the recomputed root (a stored node was changed or is missing).</summary>
    StoredNodeMismatch,
}

/// <summary>The first problem found in the Merkle log.</summary>
/// <param name="TreeSize">Size of the head (or tree) concerned.</param>
public sealed record MerkleBreak(long TreeSize, MerkleBreakKind Kind, string Detail);

/// <summary>Result of <see cref="IMerkleAuditLog.VerifyMerkleLogAsync"/>.</summary>
/// <param name="Leaves">Entries recomputed.</param>
/// <param name="TreeHeads">Signed heads checked.</param>
/// <param name="SignaturesChecked">False when no log key was given.</param>
/// <param name="FirstBreak">Null when everything holds.</param>
public sealed record MerkleLogReport(long Leaves, long TreeHeads, bool SignaturesChecked, MerkleBreak? FirstBreak)
{
    /// <summary>True when no problem was found.</summary>
    public bool Intact => FirstBreak is null;
}
