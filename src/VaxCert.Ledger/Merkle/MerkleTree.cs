using System.Numerics;
using System.Security.Cryptography;

namespace VaxCert.Ledger.Merkle;

/// <summary>
/// A complete subtree of the log: the <c>2^Level</c> leaves starting at leaf <c>Index &lt;&lt; Level</c>. Level 0 is a leaf.
/// </summary>
public readonly record struct MerkleNodeId(int Level, long Index)
{
    /// <summary>First leaf the subtree covers.</summary>
    public long FirstLeaf => Index << Level;
}

/// <summary>
/// RFC 9162 §2.1 Merkle tree math with no storage behind it, usable by the ledger and by any third-party verifier
/// (docs/ledger.md, "Merkle audit log"). SHA-256; leaf hash = SHA-256(0x00 || leaf input), interior node =
/// SHA-256(0x01 || left || right). Proofs are built in two steps so a store can serve them with few reads:
/// <see cref="PlanInclusion"/> / <see cref="PlanConsistency"/> / <see cref="PlanRoot"/> name the complete subtrees
/// needed (O(log n) of them, read in one query), and <see cref="Resolve"/> combines their hashes.
/// </summary>
public static class MerkleTree
{
    /// <summary>Length of every hash.</summary>
    public const int HashLength = 32;

    /// <summary>Deepest proof accepted from untrusted input (a tree of 2^63 leaves needs 63).</summary>
    public const int MaxProofLength = 64;

    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot => SHA256.HashData([]);

    /// <summary>SHA-256(0x00 || input).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leafInput)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(leafInput);
        return sha.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashLength];
        if (left.Length != HashLength || right.Length != HashLength)
            throw new ArgumentException("interior node children must be 32-byte hashes");
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashLength)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>MTH over leaf hashes already computed (RFC 9162 §2.1.1), in O(n) time and O(log n) memory.</summary>
    public static byte[] Root(IEnumerable<byte[]> leafHashes)
    {
        var range = new CompactRange(0);
        foreach (var leaf in leafHashes)
            range.Append(leaf, null);
        return range.Root();
    }

    /// <summary>Largest power of two strictly smaller than <paramref name="n"/> (n &gt;= 2): RFC 9162's split point k.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>
    /// The complete subtrees whose hashes, folded right to left, give MTH of leaves [lo, hi). Requires lo to be a multiple
    /// of the smallest power of two &gt;= hi - lo, which holds for every range RFC 9162's recursions produce.
    /// </summary>
    public static MerkleNodeId[] Decompose(long lo, long hi)
    {
        if (lo < 0 || hi <= lo)
            throw new ArgumentOutOfRangeException(nameof(hi), "a range needs at least one leaf");
        var nodes = new List<MerkleNodeId>(64);
        var pos = lo;
        for (var level = 62; level >= 0; level--)
        {
            var size = 1L << level;
            if (((hi - lo) & size) == 0)
                continue;
            if (pos % size != 0)
                throw new ArgumentException($"range [{lo}, {hi}) is not aligned as RFC 9162 ranges are");
            nodes.Add(new MerkleNodeId(level, pos >> level));
            pos += size;
        }
        return nodes.ToArray();
    }

    /// <summary>MTH of the first <paramref name="size"/> leaves, as one proof element.</summary>
    public static MerkleNodeId[][] PlanRoot(long size)
        => size <= 0 ? throw new ArgumentOutOfRangeException(nameof(size), "the empty tree has no subtrees") : [Decompose(0, size)];

    /// <summary>The inclusion path of leaf <paramref name="index"/> in the tree of <paramref name="size"/> (RFC 9162 §2.1.3.1), leaf side first.</summary>
    public static MerkleNodeId[][] PlanInclusion(long index, long size)
    {
        if (index < 0 || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}");
        var path = new List<MerkleNodeId[]>(64);
        Path(index, 0, size, path);
        return path.ToArray();
    }

    private static void Path(long m, long lo, long hi, List<MerkleNodeId[]> path)
    {
        if (hi - lo == 1)
            return;
        var k = SplitPoint(hi - lo);
        if (m < lo + k)
        {
            Path(m, lo, lo + k, path);
            path.Add(Decompose(lo + k, hi));
        }
        else
        {
            Path(m, lo + k, hi, path);
            path.Add(Decompose(lo, lo + k));
        }
    }

    /// <summary>The consistency proof between the trees of <paramref name="first"/> and <paramref name="second"/> leaves (RFC 9162 §2.1.4.1).</summary>
    public static MerkleNodeId[][] PlanConsistency(long first, long second)
    {
        if (first < 0 || second < first)
            throw new ArgumentOutOfRangeException(nameof(first), $"no consistency proof from {first} to {second}");
        var proof = new List<MerkleNodeId[]>(64);
        if (first > 0 && first < second)
            SubProof(first, 0, second, true, proof);
        return proof.ToArray();
    }

    private static void SubProof(long m, long lo, long hi, bool whole, List<MerkleNodeId[]> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!whole)
                proof.Add(Decompose(lo, hi));
            return;
        }
        var k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, whole, proof);
            proof.Add(Decompose(lo + k, hi));
        }
        else
        {
            SubProof(m - k, lo + k, hi, false, proof);
            proof.Add(Decompose(lo, lo + k));
        }
    }

    /// <summary>Every subtree a plan needs, once (what a store reads).</summary>
    public static IReadOnlyCollection<MerkleNodeId> NodesOf(IEnumerable<MerkleNodeId[]> plan)
        => plan.SelectMany(p => p).ToHashSet();

    /// <summary>Combines the subtree hashes of a plan into proof hashes (each element folded right to left).</summary>
    /// <exception cref="KeyNotFoundException">A subtree hash the plan needs is missing.</exception>
    public static byte[][] Resolve(IEnumerable<MerkleNodeId[]> plan, IReadOnlyDictionary<MerkleNodeId, byte[]> hashes)
        => plan.Select(element =>
        {
            var acc = hashes[element[^1]];
            for (var i = element.Length - 2; i >= 0; i--)
                acc = NodeHash(hashes[element[i]], acc);
            return acc;
        }).ToArray();

    /// <summary>
    /// RFC 9162 §2.1.3.2: true when <paramref name="proof"/> shows that the leaf with <paramref name="leafHash"/> is leaf
    /// <paramref name="index"/> of the tree of <paramref name="size"/> whose root is <paramref name="root"/>. Never throws
    /// for malformed input (wrong lengths, sizes, too long a proof): false.
    /// </summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != HashLength || root.Length != HashLength || proof.Count > MaxProofLength
            || proof.Any(p => p is null || p.Length != HashLength))
            return false;
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                ClimbRightEdge(ref fn, ref sn);
            }
            else
                r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>RFC 9162's "if LSB(fn) is not set, right-shift fn and sn until either LSB(fn) is set or fn is 0".</summary>
    private static void ClimbRightEdge(ref long fn, ref long sn)
    {
        while ((fn & 1) == 0 && fn != 0)
        {
            fn >>= 1;
            sn >>= 1;
        }
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2: true when <paramref name="proof"/> shows that the tree of <paramref name="first"/> leaves with
    /// root <paramref name="firstRoot"/> is a prefix of the tree of <paramref name="second"/> leaves with root
    /// <paramref name="secondRoot"/>. Equal sizes need equal roots and an empty proof; size 0 is a prefix of anything.
    /// Never throws for malformed input: false.
    /// </summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot,
        IReadOnlyList<byte[]> proof)
    {
        if (first < 0 || second < first || proof.Count > MaxProofLength || proof.Any(p => p is null || p.Length != HashLength))
            return false;
        if (first == 0)
            return proof.Count == 0;
        if (firstRoot.Length != HashLength || secondRoot.Length != HashLength)
            return false;
        if (first == second)
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        if (proof.Count == 0)
            return false;
        var path = new List<byte[]>(proof.Count + 1);
        if ((first & (first - 1)) == 0)
            path.Add(firstRoot.ToArray());
        path.AddRange(proof);
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                ClimbRightEdge(ref fn, ref sn);
            }
            else
                sr = NodeHash(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, firstRoot) && CryptographicOperations.FixedTimeEquals(sr, secondRoot);
    }
}

/// <summary>
/// The right edge of a growing tree (a "compact range" from 0): one complete subtree per set bit of the size, so
/// appending is O(1) amortized hashes and O(log n) memory. Each append reports the complete subtrees it finished, which
/// is exactly what the ledger stores.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(MerkleNodeId Id, byte[] Hash)> _edge = new(64);

    /// <summary>Starts at <paramref name="size"/> leaves; for size &gt; 0 seed the edge with <see cref="FrontierOf"/>'s hashes.</summary>
    public CompactRange(long size, IReadOnlyDictionary<MerkleNodeId, byte[]>? frontier = null)
    {
        Size = size;
        foreach (var id in FrontierOf(size))
            _edge.Add((id, frontier?[id] ?? throw new ArgumentException("a non-empty tree needs its frontier hashes")));
    }

    /// <summary>Leaves so far.</summary>
    public long Size { get; private set; }

    /// <summary>The complete subtrees on the right edge of a tree of <paramref name="size"/> leaves, largest first.</summary>
    public static MerkleNodeId[] FrontierOf(long size) => size == 0 ? [] : MerkleTree.Decompose(0, size);

    /// <summary>Appends one leaf hash; every subtree it completes (level 0 included) goes to <paramref name="completed"/>.</summary>
    public void Append(byte[] leafHash, List<(MerkleNodeId Id, byte[] Hash)>? completed)
    {
        var node = (Id: new MerkleNodeId(0, Size), Hash: leafHash);
        completed?.Add(node);
        while (_edge.Count > 0 && _edge[^1].Id.Level == node.Id.Level)
        {
            var left = _edge[^1];
            _edge.RemoveAt(_edge.Count - 1);
            node = (new MerkleNodeId(node.Id.Level + 1, left.Id.Index >> 1), MerkleTree.NodeHash(left.Hash, node.Hash));
            completed?.Add(node);
        }
        _edge.Add(node);
        Size++;
    }

    /// <summary>MTH of the leaves so far (the empty-tree hash for none).</summary>
    public byte[] Root()
    {
        if (_edge.Count == 0)
            return MerkleTree.EmptyRoot;
        var acc = _edge[^1].Hash;
        for (var i = _edge.Count - 2; i >= 0; i--)
            acc = MerkleTree.NodeHash(_edge[i].Hash, acc);
        return acc;
    }
}
