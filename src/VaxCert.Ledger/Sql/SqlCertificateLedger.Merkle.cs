using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Ledger.Sql;

/// <summary>
/// The Merkle audit log (docs/ledger.md, "Merkle audit log"): every append transaction extends the tree from its stored
/// right edge (one indexed read of at most log2(n) subtrees) and inserts the subtrees it completes in multi-row
/// statements, in the same transaction as the entries; proofs read only the O(log n) subtrees they need.
/// </summary>
public abstract partial class SqlCertificateLedger : IMerkleAuditLog
{
    /// <summary>Node rows per multi-row INSERT (3 parameters a row).</summary>
    private const int NodesPerStatement = 300;

    /// <summary>Entries caught up per transaction when a ledger from before the Merkle log is opened.</summary>
    private const int CatchUpBatch = 50_000;

    private const string TreeHeadColumns = "tree_size, timestamp_ms, root_hash, key_id, signature";

    /// <summary>
    /// Lowest stored level: merkle_nodes holds the complete subtrees of 16 leaves and up (one row per 16 entries, plus
    /// 1/32 + 1/64 ... above). A smaller subtree lies inside one aligned block of 16 entries and is recomputed from their
    /// entry hashes, read in one range scan of audit_log.
    /// </summary>
    internal const int StoredFromLevel = 4;

    /// <inheritdoc />
    public ITreeHeadSigner? CommitSigner { get; set; }

    /// <summary>
    /// Benchmark baseline only (bench ledger-sqlite-merkle): appends write no Merkle nodes and leave merkle_size behind, as
    /// the ledger did before the Merkle log; the next open catches up.
    /// </summary>
    internal bool SkipMerkleForBaseline { get; set; }

    /// <summary>
    /// Extends the tree inside an append transaction: from <paramref name="merkleSize"/> (what the stored nodes cover)
    /// over any entries up to <paramref name="catchUpTo"/> not yet in it, then over <paramref name="newEntryHashes"/>;
    /// inserts the completed subtrees and, with a <see cref="CommitSigner"/>, the signed head for the new size. Returns
    /// the size the stored tree now covers (the head's new merkle_size).
    /// </summary>
    private async Task<long> ExtendMerkleAsync(DbConnection connection, DbTransaction tx, long merkleSize, long catchUpTo,
        IReadOnlyList<byte[]> newEntryHashes, CancellationToken ct, bool signHead = true)
    {
        if (SkipMerkleForBaseline)
            return merkleSize;
        var frontier = await ReadNodesAsync(connection, tx, CompactRange.FrontierOf(merkleSize), ct).ConfigureAwait(false);
        var range = new CompactRange(merkleSize, frontier);
        var completed = new List<(MerkleNodeId Id, byte[] Hash)>(2 * (newEntryHashes.Count + 1));
        if (catchUpTo > merkleSize)
        {
            var missing = ReadRowsAsync(connection, tx, "SELECT entry_hash FROM audit_log WHERE seq > @a AND seq <= @b ORDER BY seq",
                c => c.With("@a", merkleSize).With("@b", catchUpTo), r => r.GetFieldValue<byte[]>(0), ct);
            await foreach (var entryHash in missing.ConfigureAwait(false))
                range.Append(MerkleTree.LeafHash(entryHash), completed);
            if (range.Size != catchUpTo)
                throw new LedgerException($"the audit log has a gap below seq {catchUpTo}: cannot extend the Merkle tree");
        }
        foreach (var entryHash in newEntryHashes)
            range.Append(MerkleTree.LeafHash(entryHash), completed);
        // Below StoredFromLevel nothing is stored: those subtrees are recomputed from audit_log.entry_hash.
        var interior = completed.Where(n => n.Id.Level >= StoredFromLevel).ToList();
        if (_dialect.WritesRowByRow && interior.Count > 0)
        {
            using var row = connection.Reusable(tx, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (@p0, @p1, @p2)", 3);
            foreach (var (id, nodeHash) in interior)
                row.Set(0, id.Level).Set(1, id.Index).Set(2, nodeHash).ExecuteNonQuery();
        }
        else
        {
            foreach (var chunk in interior.Chunk(NodesPerStatement))
            {
                var sql = new StringBuilder("INSERT INTO merkle_nodes (level, idx, hash) VALUES ");
                await using var insert = connection.Command(tx, "");
                for (var i = 0; i < chunk.Length; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append($"(@l{i}, @i{i}, @h{i})");
                    insert.With($"@l{i}", chunk[i].Id.Level).With($"@i{i}", chunk[i].Id.Index).With($"@h{i}", chunk[i].Hash);
                }
                insert.CommandText = sql.ToString();
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        if (signHead && CommitSigner is { } signer && range.Size > 0)
            await InsertTreeHeadAsync(connection, tx,
                EcdsaTreeHeadSigner.SignHead(signer, range.Size, _clock.GetUtcNow().ToUnixTimeMilliseconds(), range.Root()), ct).ConfigureAwait(false);
        return range.Size;
    }

    /// <summary>
    /// With a <see cref="CommitSigner"/>: stores the signed head for the size the stored tree covers now, inside the
    /// caller's transaction (which holds the head lock). For transactions that append many entries one at a time
    /// (mass revocation): one head per transaction, not one per entry.
    /// </summary>
    private async Task SignCommitHeadAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (CommitSigner is not { } signer)
            return;
        var head = await ReadHeadAsync(connection, tx, lockRow: true, ct).ConfigureAwait(false);
        if (head.MerkleSize == 0)
            return;
        var root = (await ResolveAsync(connection, tx, MerkleTree.PlanRoot(head.MerkleSize), ct).ConfigureAwait(false))[0];
        await InsertTreeHeadAsync(connection, tx, EcdsaTreeHeadSigner.SignHead(signer, head.MerkleSize, _clock.GetUtcNow().ToUnixTimeMilliseconds(), root), ct)
            .ConfigureAwait(false);
    }

    /// <summary>On open: brings the stored tree up to the log for a ledger created before the Merkle log, in bounded transactions.</summary>
    private async Task CatchUpMerkleAsync(DbConnection connection, CancellationToken ct)
    {
        // Usually there is nothing to do: look without a write lock first (an auditor's open writes nothing).
        var behind = await ReadRowsAsync(connection, null, "SELECT merkle_size < last_seq FROM ledger_head WHERE id = 1", _ => { },
            r => r.GetBoolean(0), ct).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        while (behind)
        {
            await using var tx = await _dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var head = await ReadHeadAsync(connection, tx, lockRow: true, ct).ConfigureAwait(false);
            if (head.MerkleSize >= head.Seq)
                return; // nothing to write: the transaction is rolled back on dispose
            var upTo = Math.Min(head.Seq, head.MerkleSize + CatchUpBatch);
            await ExtendMerkleAsync(connection, tx, head.MerkleSize, upTo, [], ct).ConfigureAwait(false);
            await using (var update = connection.Command(tx, "UPDATE ledger_head SET merkle_size = @m WHERE id = 1").With("@m", upTo))
                await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task InsertTreeHeadAsync(DbConnection connection, DbTransaction tx, SignedTreeHead sth, CancellationToken ct)
    {
        await using var insert = connection.Command(tx,
                $"INSERT INTO tree_heads ({TreeHeadColumns}) VALUES (@n, @t, @r, @k, @s) ON CONFLICT DO NOTHING")
            .With("@n", sth.TreeSize).With("@t", sth.TimestampMs).With("@r", sth.RootHash).With("@k", sth.KeyId).With("@s", sth.Signature);
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The hashes of these subtrees: from <see cref="StoredFromLevel"/> up out of merkle_nodes (one query per 100), below it
    /// recomputed from the entry hashes of their block of 16 (one range scan per block).
    /// </summary>
    private static async Task<Dictionary<MerkleNodeId, byte[]>> ReadNodesAsync(DbConnection connection, DbTransaction? tx,
        IEnumerable<MerkleNodeId> ids, CancellationToken ct)
    {
        var found = new Dictionary<MerkleNodeId, byte[]>();
        var wanted = ids.Distinct().ToList();
        foreach (var chunk in wanted.Where(n => n.Level >= StoredFromLevel).Chunk(100))
        {
            var sql = new StringBuilder("SELECT level, idx, hash FROM merkle_nodes WHERE ");
            for (var i = 0; i < chunk.Length; i++)
                sql.Append(i == 0 ? "" : " OR ").Append($"(level = @l{i} AND idx = @i{i})");
            var rows = ReadRowsAsync(connection, tx, sql.ToString(), c =>
            {
                for (var i = 0; i < chunk.Length; i++)
                    c.With($"@l{i}", chunk[i].Level).With($"@i{i}", chunk[i].Index);
            }, r => (new MerkleNodeId(r.GetInt32(0), r.GetInt64(1)), r.GetFieldValue<byte[]>(2)), ct);
            await foreach (var (id, hash) in rows.ConfigureAwait(false))
                found[id] = hash;
        }
        foreach (var block in wanted.Where(n => n.Level < StoredFromLevel).GroupBy(n => n.FirstLeaf >> StoredFromLevel))
        {
            var first = block.Key << StoredFromLevel; // leaf index of the block's first entry (seq first + 1)
            var last = block.Max(n => n.FirstLeaf + (1L << n.Level)); // one past the last leaf needed
            var leaves = await ReadRowsAsync(connection, tx, "SELECT entry_hash FROM audit_log WHERE seq > @a AND seq <= @b ORDER BY seq",
                    c => c.With("@a", first).With("@b", last), r => MerkleTree.LeafHash(r.GetFieldValue<byte[]>(0)), ct)
                .ToListAsync(ct).ConfigureAwait(false);
            foreach (var id in block)
            {
                var offset = (int)(id.FirstLeaf - first);
                var count = 1 << id.Level;
                if (offset + count <= leaves.Count)
                    found[id] = MerkleTree.Root(leaves.Skip(offset).Take(count));
            }
        }
        var absent = wanted.FirstOrDefault(id => !found.ContainsKey(id), new MerkleNodeId(-1, -1));
        if (absent.Level >= 0)
            throw new LedgerException($"the Merkle subtree at level {absent.Level}, index {absent.Index} is missing from the ledger");
        return found;
    }

    private async Task<byte[][]> ResolveAsync(DbConnection connection, DbTransaction? tx, MerkleNodeId[][] plan, CancellationToken ct)
        => MerkleTree.Resolve(plan, await ReadNodesAsync(connection, tx, MerkleTree.NodesOf(plan), ct).ConfigureAwait(false));

    /// <summary>How many entries the stored tree covers (the head's merkle_size).</summary>
    private async Task<long> ReadMerkleSizeAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var query = connection.Command(tx, "SELECT merkle_size FROM ledger_head WHERE id = 1");
        return Convert.ToInt64(await query.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task RequireCoveredAsync(DbConnection connection, long treeSize, CancellationToken ct)
    {
        var covered = await ReadMerkleSizeAsync(connection, null, ct).ConfigureAwait(false);
        if (treeSize < 0 || treeSize > covered)
            throw new ArgumentOutOfRangeException(nameof(treeSize), $"the log has {covered} entries; there is no tree of {treeSize}");
    }

    /// <inheritdoc />
    public Task<SignedTreeHead> SignTreeHeadAsync(ITreeHeadSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return GuardAsync("sign a tree head", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            // The head's lock: no append can slip between reading the size and storing its head.
            var head = await ReadHeadAsync(connection, tx, lockRow: true, cancellationToken).ConfigureAwait(false);
            var existing = await ReadTreeHeadsAsync(connection, tx, "WHERE tree_size = @n", c => c.With("@n", head.Seq), cancellationToken)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (existing is not null)
                return existing;
            var root = head.Seq == 0 ? MerkleTree.EmptyRoot
                : (await ResolveAsync(connection, tx, MerkleTree.PlanRoot(head.Seq), cancellationToken).ConfigureAwait(false))[0];
            var sth = EcdsaTreeHeadSigner.SignHead(signer, head.Seq, _clock.GetUtcNow().ToUnixTimeMilliseconds(), root);
            await InsertTreeHeadAsync(connection, tx, sth, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return sth;
        });
    }

    /// <inheritdoc />
    public Task<SignedTreeHead?> GetLatestTreeHeadAsync(CancellationToken cancellationToken = default)
        => FirstTreeHeadAsync("ORDER BY tree_size DESC LIMIT 1", _ => { }, cancellationToken);

    /// <inheritdoc />
    public Task<SignedTreeHead?> GetTreeHeadAsync(long treeSize, CancellationToken cancellationToken = default)
        => FirstTreeHeadAsync("WHERE tree_size = @n", c => c.With("@n", treeSize), cancellationToken);

    private Task<SignedTreeHead?> FirstTreeHeadAsync(string clause, Action<DbCommand> bind, CancellationToken ct)
        => GuardAsync("read a tree head", async () =>
        {
            await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
            return await ReadTreeHeadsAsync(connection, null, clause, bind, ct).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public async IAsyncEnumerable<SignedTreeHead> ListTreeHeadsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await GuardAsync("open the ledger", () => OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        await foreach (var sth in ReadTreeHeadsAsync(connection, null, "ORDER BY tree_size", _ => { }, cancellationToken).ConfigureAwait(false))
            yield return sth;
    }

    private static IAsyncEnumerable<SignedTreeHead> ReadTreeHeadsAsync(DbConnection connection, DbTransaction? tx, string clause,
        Action<DbCommand> bind, CancellationToken ct)
        => ReadRowsAsync(connection, tx, $"SELECT {TreeHeadColumns} FROM tree_heads {clause}", bind,
            r => new SignedTreeHead(r.GetInt64(0), r.GetInt64(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3), r.GetFieldValue<byte[]>(4)), ct);

    /// <inheritdoc />
    public Task<byte[]> GetRootAsync(long treeSize, CancellationToken cancellationToken = default) => GuardAsync("compute a Merkle root", async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireCoveredAsync(connection, treeSize, cancellationToken).ConfigureAwait(false);
        return treeSize == 0 ? MerkleTree.EmptyRoot
            : (await ResolveAsync(connection, null, MerkleTree.PlanRoot(treeSize), cancellationToken).ConfigureAwait(false))[0];
    });

    /// <inheritdoc />
    public Task<InclusionProof?> GetInclusionProofAsync(long seq, long treeSize, CancellationToken cancellationToken = default)
        => GuardAsync("build an inclusion proof", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await RequireCoveredAsync(connection, treeSize, cancellationToken).ConfigureAwait(false);
            return await InclusionAsync(connection, seq, treeSize, cancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public Task<InclusionProof?> GetInclusionProofAsync(string uvci, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uvci);
        return GuardAsync("build an inclusion proof", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await RequireCoveredAsync(connection, treeSize, cancellationToken).ConfigureAwait(false);
            var seq = await ReadRowsAsync(connection, null,
                    "SELECT seq FROM audit_log WHERE subject = @u AND event = 'Issued' ORDER BY seq LIMIT 1",
                    c => c.With("@u", uvci), r => r.GetInt64(0), cancellationToken)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return seq == 0 ? null : await InclusionAsync(connection, seq, treeSize, cancellationToken).ConfigureAwait(false);
        });
    }

    private async Task<InclusionProof?> InclusionAsync(DbConnection connection, long seq, long treeSize, CancellationToken ct)
    {
        if (seq < 1 || seq > treeSize)
            return null;
        var entry = await ReadAuditRowAsync(connection, null, seq, ct).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (entry is null)
            return null;
        var path = await ResolveAsync(connection, null, MerkleTree.PlanInclusion(seq - 1, treeSize), ct).ConfigureAwait(false);
        return new InclusionProof(entry, treeSize, path);
    }

    /// <inheritdoc />
    public Task<byte[][]> GetConsistencyProofAsync(long first, long second, CancellationToken cancellationToken = default)
        => GuardAsync("build a consistency proof", async () =>
        {
            if (first < 0 || first > second)
                throw new ArgumentOutOfRangeException(nameof(first), $"no consistency proof from {first} to {second}");
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await RequireCoveredAsync(connection, second, cancellationToken).ConfigureAwait(false);
            return await ResolveAsync(connection, null, MerkleTree.PlanConsistency(first, second), cancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public Task<MerkleLogReport> VerifyMerkleLogAsync(ECDsa? logKey, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        => GuardAsync("verify the Merkle log", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // One snapshot: heads, entries and nodes written meanwhile cannot look like tampering.
            await using var tx = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            var heads = await ReadTreeHeadsAsync(connection, tx, "ORDER BY tree_size", _ => { }, cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var merkleSize = await ReadMerkleSizeAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            var signed = logKey is not null;
            MerkleLogReport Broken(long leaves, long checkedHeads, long size, MerkleBreakKind kind, string detail)
                => new(leaves, checkedHeads, signed, new MerkleBreak(size, kind, detail));

            // Pass 1: recompute the tree from the entries' content, comparing each head's root at its size.
            var range = new CompactRange(0);
            var next = 0;
            await foreach (var entry in ReadAuditRowsAsync(connection, tx, 0, cancellationToken).ConfigureAwait(false))
            {
                while (next < heads.Count && heads[next].TreeSize == range.Size)
                {
                    if (CheckHead(heads[next], range.Root(), logKey) is { } problem)
                        return Broken(range.Size, next, heads[next].TreeSize, problem.Kind, problem.Detail);
                    next++;
                }
                range.Append(MerkleTree.LeafHash(AuditHash.Compute(entry)), null);
                if (range.Size % ProgressEvery == 0)
                    progress?.Report(range.Size);
            }
            progress?.Report(range.Size);
            while (next < heads.Count && heads[next].TreeSize == range.Size)
            {
                if (CheckHead(heads[next], range.Root(), logKey) is { } problem)
                    return Broken(range.Size, next, heads[next].TreeSize, problem.Kind, problem.Detail);
                next++;
            }
            if (next < heads.Count)
                return Broken(range.Size, next, heads[next].TreeSize, MerkleBreakKind.HeadBeyondLog,
                    $"a signed head covers {heads[next].TreeSize} entries but the log has only {range.Size}: entries were cut off");

            // Pass 2: the stored subtrees (what proofs are built from) must agree with the recomputed tree.
            if (merkleSize != range.Size)
                return Broken(range.Size, heads.Count, merkleSize, MerkleBreakKind.StoredNodeMismatch,
                    $"the stored tree covers {merkleSize} entries but the log has {range.Size}");
            if (range.Size > 0)
            {
                var storedRoot = (await ResolveAsync(connection, tx, MerkleTree.PlanRoot(range.Size), cancellationToken).ConfigureAwait(false))[0];
                if (!storedRoot.AsSpan().SequenceEqual(range.Root()))
                    return Broken(range.Size, heads.Count, range.Size, MerkleBreakKind.StoredNodeMismatch,
                        "the root from the stored subtrees differs from the root recomputed from the entries");
            }
            for (var i = 1; i < heads.Count; i++)
            {
                var (a, b) = (heads[i - 1], heads[i]);
                var proof = await ResolveAsync(connection, tx, MerkleTree.PlanConsistency(a.TreeSize, b.TreeSize), cancellationToken).ConfigureAwait(false);
                if (!MerkleTree.VerifyConsistency(a.TreeSize, b.TreeSize, a.RootHash, b.RootHash, proof))
                    return Broken(range.Size, i, b.TreeSize, MerkleBreakKind.Inconsistent,
                        $"the consistency proof from the head of {a.TreeSize} entries to the head of {b.TreeSize} does not verify");
            }
            return new MerkleLogReport(range.Size, heads.Count, signed, null);
        });

    private static (MerkleBreakKind Kind, string Detail)? CheckHead(SignedTreeHead head, byte[] recomputedRoot, ECDsa? logKey)
    {
        if (logKey is not null && !head.VerifySignature(logKey))
            return (MerkleBreakKind.BadSignature, $"the signed head of {head.TreeSize} entries does not verify with the log key");
        if (!head.RootHash.AsSpan().SequenceEqual(recomputedRoot))
            return (MerkleBreakKind.RootMismatch,
                $"the signed head of {head.TreeSize} entries has root {Convert.ToHexStringLower(head.RootHash)}, the entries give {Convert.ToHexStringLower(recomputedRoot)}: an entry at or below seq {head.TreeSize} was changed");
        return null;
    }
}
