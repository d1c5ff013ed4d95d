using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VaxCert.Ledger.Merkle;

/// <summary>
/// The proof file a third party checks offline with only the log's public key (docs/ledger.md, "Proof files"):
/// <c>vaxcert audit prove</c> and <c>vaxcert audit consistency</c> write it, <c>vaxcert audit check-proof</c> and
/// <see cref="Check"/> verify it. JSON; hashes and signatures in lowercase hex; the audit entry's fields in full, so the
/// checker recomputes the entry hash (docs/ledger.md, "Audit hash") and from it the leaf, never trusting a stored hash.
/// </summary>
public sealed class MerkleProofDocument
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string CurrentFormat = "vaxcert-merkle-proof-1";

    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;

    /// <summary>"inclusion" or "consistency".</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>The signed head the proof leads to (inclusion) or ends at (consistency).</summary>
    [JsonPropertyName("tree_head")] public TreeHeadJson? TreeHead { get; init; }

    /// <summary>Consistency: the earlier signed head.</summary>
    [JsonPropertyName("first_tree_head")] public TreeHeadJson? FirstTreeHead { get; init; }

    /// <summary>Inclusion: the audit entry proven.</summary>
    [JsonPropertyName("entry")] public EntryJson? Entry { get; init; }

    /// <summary>Inclusion: seq - 1.</summary>
    [JsonPropertyName("leaf_index")] public long LeafIndex { get; init; }

    /// <summary>The audit path (inclusion) or consistency proof, leaf side first.</summary>
    [JsonPropertyName("proof")] public List<string> Proof { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>An inclusion proof file.</summary>
    public static MerkleProofDocument ForInclusion(InclusionProof proof, SignedTreeHead head) => new()
    {
        Kind = "inclusion",
        TreeHead = TreeHeadJson.From(head),
        Entry = EntryJson.From(proof.Entry),
        LeafIndex = proof.LeafIndex,
        Proof = proof.Path.Select(Convert.ToHexStringLower).ToList(),
    };

    /// <summary>A consistency proof file.</summary>
    public static MerkleProofDocument ForConsistency(SignedTreeHead first, SignedTreeHead second, byte[][] proof) => new()
    {
        Kind = "consistency",
        FirstTreeHead = TreeHeadJson.From(first),
        TreeHead = TreeHeadJson.From(second),
        Proof = proof.Select(Convert.ToHexStringLower).ToList(),
    };

    /// <summary>Indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>
    /// Checks a proof file: the heads' signatures with <paramref name="logKey"/>, the entry's hash recomputed from its
    /// fields, and the RFC 9162 proof. Never throws for any input.
    /// </summary>
    public static ProofCheck Check(string json, ECDsa logKey)
    {
        MerkleProofDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<MerkleProofDocument>(json);
        }
        catch (JsonException ex)
        {
            return new ProofCheck(ProofVerdict.Malformed, "not a proof file: " + ex.Message);
        }
        if (doc is null || doc.Format != CurrentFormat)
            return new ProofCheck(ProofVerdict.Malformed, $"not a proof file (format is not {CurrentFormat})");
        try
        {
            return doc.Kind switch
            {
                _ when doc.TreeHead is null || doc.Proof is null => new ProofCheck(ProofVerdict.Malformed, "the proof file has no tree_head or proof"),
                "inclusion" when doc.Entry is null => new ProofCheck(ProofVerdict.Malformed, "the inclusion proof file has no entry"),
                "consistency" when doc.FirstTreeHead is null => new ProofCheck(ProofVerdict.Malformed, "the consistency proof file has no first_tree_head"),
                "inclusion" => doc.CheckInclusion(logKey),
                "consistency" => doc.CheckConsistency(logKey),
                _ => new ProofCheck(ProofVerdict.Malformed, $"unknown proof kind '{doc.Kind}'"),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return new ProofCheck(ProofVerdict.Malformed, "the proof file has a missing or malformed field: " + ex.Message);
        }
    }

    private ProofCheck CheckInclusion(ECDsa logKey)
    {
        var head = TreeHead!.ToHead();
        if (!head.VerifySignature(logKey))
            return Invalid($"the tree head of {head.TreeSize} entries is not signed by this log key");
        var entry = Entry!.ToEntry();
        var recomputed = AuditHash.Compute(entry);
        if (!recomputed.AsSpan().SequenceEqual(entry.EntryHash))
            return Invalid($"the entry's fields do not hash to its entry_hash (seq {entry.Seq})");
        if (LeafIndex != entry.Seq - 1)
            return Invalid($"leaf_index {LeafIndex} is not seq {entry.Seq} - 1");
        var path = Hashes(Proof);
        return MerkleTree.VerifyInclusion(LeafIndex, head.TreeSize, MerkleTree.LeafHash(recomputed), path, head.RootHash)
            ? new ProofCheck(ProofVerdict.Valid,
                $"entry seq {entry.Seq} ({entry.Event} {entry.Subject}) is in the log of {head.TreeSize} entries signed at {DateTimeOffset.FromUnixTimeMilliseconds(head.TimestampMs):O}")
            : Invalid($"the audit path does not lead from entry seq {entry.Seq} to the signed root of {head.TreeSize} entries");
    }

    private ProofCheck CheckConsistency(ECDsa logKey)
    {
        var (first, second) = (FirstTreeHead!.ToHead(), TreeHead!.ToHead());
        if (!first.VerifySignature(logKey))
            return Invalid($"the tree head of {first.TreeSize} entries is not signed by this log key");
        if (!second.VerifySignature(logKey))
            return Invalid($"the tree head of {second.TreeSize} entries is not signed by this log key");
        return MerkleTree.VerifyConsistency(first.TreeSize, second.TreeSize, first.RootHash, second.RootHash, Hashes(Proof))
            ? new ProofCheck(ProofVerdict.Valid, $"the log of {second.TreeSize} entries extends the log of {first.TreeSize} entries: nothing was changed or removed")
            : Invalid($"the proof does not show that the log of {second.TreeSize} entries extends the log of {first.TreeSize}");
    }

    private static ProofCheck Invalid(string detail) => new(ProofVerdict.Invalid, detail);

    private static List<byte[]> Hashes(List<string> hex) => hex.Count > MerkleTree.MaxProofLength
        ? throw new ArgumentException("the proof is longer than any tree needs")
        : hex.Select(Convert.FromHexString).ToList();

    /// <summary>A signed tree head in a proof file.</summary>
    public sealed class TreeHeadJson
    {
        [JsonPropertyName("tree_size")] public long TreeSize { get; init; }
        [JsonPropertyName("timestamp_ms")] public long TimestampMs { get; init; }
        [JsonPropertyName("root_hash")] public string RootHash { get; init; } = "";
        [JsonPropertyName("key_id")] public string KeyId { get; init; } = "";
        [JsonPropertyName("signature")] public string Signature { get; init; } = "";

        public static TreeHeadJson From(SignedTreeHead h) => new()
        {
            TreeSize = h.TreeSize, TimestampMs = h.TimestampMs, RootHash = Convert.ToHexStringLower(h.RootHash),
            KeyId = Convert.ToHexStringLower(h.KeyId), Signature = Convert.ToHexStringLower(h.Signature),
        };

        public SignedTreeHead ToHead() => new(TreeSize, TimestampMs, Convert.FromHexString(RootHash), Convert.FromHexString(KeyId),
            Convert.FromHexString(Signature));
    }

    /// <summary>An audit entry in a proof file: every field its hash covers.</summary>
    public sealed class EntryJson
    {
        [JsonPropertyName("seq")] public long Seq { get; init; }
        /// <summary>Microseconds since the Unix epoch (exactly what the entry hash covers).</summary>
        [JsonPropertyName("time_us")] public long TimeMicroseconds { get; init; }
        [JsonPropertyName("event")] public string Event { get; init; } = "";
        [JsonPropertyName("subject")] public string Subject { get; init; } = "";
        [JsonPropertyName("facility")] public string Facility { get; init; } = "";
        [JsonPropertyName("details")] public string Details { get; init; } = "";
        [JsonPropertyName("prev_hash")] public string PrevHash { get; init; } = "";
        [JsonPropertyName("entry_hash")] public string EntryHash { get; init; } = "";

        public static EntryJson From(AuditEntry e) => new()
        {
            Seq = e.Seq, TimeMicroseconds = LedgerTime.ToUnixMicroseconds(e.Time), Event = e.Event, Subject = e.Subject,
            Facility = e.Facility, Details = e.DetailsJson, PrevHash = Convert.ToHexStringLower(e.PrevHash),
            EntryHash = Convert.ToHexStringLower(e.EntryHash),
        };

        public AuditEntry ToEntry() => new(Seq, LedgerTime.FromUnixMicroseconds(TimeMicroseconds), Event, Subject, Facility, Details,
            Convert.FromHexString(PrevHash), Convert.FromHexString(EntryHash));
    }
}

/// <summary>Outcome of checking a proof file.</summary>
public enum ProofVerdict
{
    /// <summary>Signed by the log key and the proof holds.</summary>
    Valid,

    /// <summary>Well-formed, but a signature, the entry or the proof does not hold.</summary>
    Invalid,

    /// <summary>Not a proof file, or a field is missing or malformed.</summary>
    Malformed,
}

/// <summary>Verdict and a one-line explanation.</summary>
public sealed record ProofCheck(ProofVerdict Verdict, string Detail);
