using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Ledger.Tests;

/// <summary>
/// RFC 9162 math against the published RFC 6962 reference vectors (the 8-leaf test set of transparency-dev/merkle
/// proof/verify_test.go, also used by certificate-transparency-go), plus properties over random trees.
/// </summary>
public sealed class MerkleTreeTests
{
    private static readonly byte[][] Leaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).ToArray();

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    // (leaf index, tree size, path): the published vectors (their leaf numbers are 1-based; these are 0-based).
    public static TheoryData<long, long, string[]> InclusionVectors => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 1, [] },
    };

    public static TheoryData<long, long, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    [Fact]
    public void Roots_of_every_prefix_match_the_reference_vectors()
    {
        for (var n = 1; n <= 8; n++)
            Assert.Equal(Roots[n - 1], Convert.ToHexStringLower(MerkleTree.Root(Leaves.Take(n).Select(l => MerkleTree.LeafHash(l)))));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.Root([])));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void Inclusion_proofs_match_and_verify_against_the_reference_vectors(long index, long size, string[] expected)
    {
        var proof = Prove(MerkleTree.PlanInclusion(index, size), Tree(Leaves.Take((int)size)));
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        var leaf = MerkleTree.LeafHash(Leaves[index]);
        var root = Convert.FromHexString(Roots[size - 1]);
        Assert.True(MerkleTree.VerifyInclusion(index, size, leaf, proof, root));
        Assert.False(MerkleTree.VerifyInclusion(index + 1, size, leaf, proof, root));
        Assert.False(MerkleTree.VerifyInclusion(index, size * 2, leaf, proof, root));
        Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, [.. proof, root], root));
        if (proof.Length > 0)
            Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, proof[..^1], root));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void Consistency_proofs_match_and_verify_against_the_reference_vectors(long first, long second, string[] expected)
    {
        var proof = Prove(MerkleTree.PlanConsistency(first, second), Tree(Leaves.Take((int)second)));
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        var (r1, r2) = (Convert.FromHexString(Roots[first - 1]), Convert.FromHexString(Roots[second - 1]));
        Assert.True(MerkleTree.VerifyConsistency(first, second, r1, r2, proof));
        if (first == second)
            return;
        Assert.False(MerkleTree.VerifyConsistency(first, second, r2, r1, proof));
        Assert.False(MerkleTree.VerifyConsistency(first, second, r1, r2, []));
        Assert.False(MerkleTree.VerifyConsistency(first, second, r1, r2, [.. proof, r1]));
        Assert.False(MerkleTree.VerifyConsistency(first + 1, second, r1, r2, proof));
    }

    [Fact]
    public void Malformed_input_is_false_never_an_exception()
    {
        var leaf = new byte[32];
        Assert.False(MerkleTree.VerifyInclusion(0, 0, leaf, [], leaf));
        Assert.False(MerkleTree.VerifyInclusion(-1, 5, leaf, [], leaf));
        Assert.False(MerkleTree.VerifyInclusion(0, 2, leaf, [new byte[31]], leaf));
        Assert.False(MerkleTree.VerifyInclusion(0, 1, new byte[5], [], leaf));
        Assert.False(MerkleTree.VerifyConsistency(2, 1, leaf, leaf, []));
        Assert.False(MerkleTree.VerifyConsistency(3, 5, leaf, leaf, [null!]));
        Assert.False(MerkleTree.VerifyConsistency(3, 5, new byte[3], leaf, [leaf]));
        Assert.False(MerkleTree.VerifyInclusion(0, long.MaxValue, leaf, Enumerable.Repeat(leaf, 70).ToArray(), leaf));
    }

    [Fact]
    public void Any_inclusion_proof_of_any_tree_verifies_and_any_flipped_byte_fails()
    {
        Check.QuickThrowOnFailure(Prop.ForAll<PositiveInt, NonNegativeInt, NonNegativeInt>((sizeGen, indexGen, flipGen) =>
        {
            var size = sizeGen.Get % 300 + 1;
            var index = indexGen.Get % size;
            var leaves = RandomLeaves(size, seed: size);
            var tree = Tree(leaves);
            var root = MerkleTree.Root(leaves.Select(l => MerkleTree.LeafHash(l)));
            var proof = Prove(MerkleTree.PlanInclusion(index, size), tree);
            var leaf = MerkleTree.LeafHash(leaves[index]);
            if (!MerkleTree.VerifyInclusion(index, size, leaf, proof, root))
                return false;
            // Flip one byte anywhere: in a proof hash, in the leaf or in the root.
            var all = proof.Select(p => p.ToArray()).Append(leaf.ToArray()).Append(root.ToArray()).ToArray();
            var target = all[flipGen.Get % all.Length];
            target[flipGen.Get % 32] ^= 0x01;
            return !MerkleTree.VerifyInclusion(index, size, all[^2], all[..^2], all[^1]);
        }));
    }

    [Fact]
    public void Any_consistency_proof_verifies_and_any_flipped_byte_fails()
    {
        Check.QuickThrowOnFailure(Prop.ForAll<PositiveInt, PositiveInt, NonNegativeInt>((aGen, bGen, flipGen) =>
        {
            var second = bGen.Get % 300 + 1;
            var first = aGen.Get % second + 1;
            var leaves = RandomLeaves(second, seed: second * 7);
            var tree = Tree(leaves);
            var r1 = MerkleTree.Root(leaves.Take(first).Select(l => MerkleTree.LeafHash(l)));
            var r2 = MerkleTree.Root(leaves.Select(l => MerkleTree.LeafHash(l)));
            var proof = Prove(MerkleTree.PlanConsistency(first, second), tree);
            if (!MerkleTree.VerifyConsistency(first, second, r1, r2, proof))
                return false;
            var all = proof.Select(p => p.ToArray()).Append(r1.ToArray()).Append(r2.ToArray()).ToArray();
            var target = all[flipGen.Get % all.Length];
            target[flipGen.Get % 32] ^= 0x80;
            return !MerkleTree.VerifyConsistency(first, second, all[^2], all[^1], all[..^2]);
        }));
    }

    [Fact]
    public void Appending_in_groups_from_a_frontier_yields_the_same_nodes_and_root_as_one_pass()
    {
        Check.QuickThrowOnFailure(Prop.ForAll<PositiveInt, PositiveInt>((sizeGen, cutGen) =>
        {
            var size = sizeGen.Get % 500 + 1;
            var cut = cutGen.Get % size;
            var hashes = RandomLeaves(size, seed: size + 1).Select(l => MerkleTree.LeafHash(l)).ToArray();
            var all = Tree(RandomLeaves(size, seed: size + 1));
            var frontier = CompactRange.FrontierOf(cut).ToDictionary(id => id, id => all[id]);
            var range = new CompactRange(cut, frontier);
            var completed = new List<(MerkleNodeId Id, byte[] Hash)>();
            foreach (var h in hashes.Skip(cut))
                range.Append(h, completed);
            return range.Root().AsSpan().SequenceEqual(MerkleTree.Root(hashes))
                   && completed.All(c => c.Hash.AsSpan().SequenceEqual(all[c.Id]))
                   && completed.Select(c => c.Id).Distinct().Count() == completed.Count;
        }));
    }

    [Fact]
    public void Signed_tree_head_verifies_with_its_key_only_and_breaks_on_any_change()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sth = EcdsaTreeHeadSigner.SignHead(new EcdsaTreeHeadSigner(key), 42, 1_767_225_600_000, SHA256.HashData("x"u8));
        Assert.Equal(56, sth.SignedData.Length);
        Assert.True(sth.VerifySignature(key));
        Assert.False(sth.VerifySignature(other));
        Assert.False((sth with { TreeSize = 43 }).VerifySignature(key));
        Assert.False((sth with { TimestampMs = sth.TimestampMs + 1 }).VerifySignature(key));
        Assert.False((sth with { RootHash = SHA256.HashData("y"u8) }).VerifySignature(key));
        Assert.False((sth with { Signature = new byte[3] }).VerifySignature(key));
    }

    private static byte[][] RandomLeaves(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var leaf = new byte[random.Next(0, 40)];
            random.NextBytes(leaf);
            return leaf;
        }).ToArray();
    }

    /// <summary>Every complete subtree of the tree over these leaves, computed the naive way.</summary>
    internal static Dictionary<MerkleNodeId, byte[]> Tree(IEnumerable<byte[]> leaves)
    {
        var nodes = new Dictionary<MerkleNodeId, byte[]>();
        var level = leaves.Select(l => MerkleTree.LeafHash(l)).ToList();
        for (var depth = 0; level.Count > 0; depth++)
        {
            for (var i = 0; i < level.Count; i++)
                nodes[new MerkleNodeId(depth, i)] = level[i];
            var next = new List<byte[]>();
            for (var i = 0; i + 1 < level.Count; i += 2)
                next.Add(MerkleTree.NodeHash(level[i], level[i + 1]));
            level = next;
        }
        return nodes;
    }

    private static byte[][] Prove(MerkleNodeId[][] plan, Dictionary<MerkleNodeId, byte[]> tree) => MerkleTree.Resolve(plan, tree);
}
