using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VaxCert.Ledger.Merkle;

/// <summary>
/// A signed tree head (STH): the log key's ES256 signature over <see cref="SignedData"/>, i.e. over (tree size,
/// timestamp, root hash). Serialization (docs/ledger.md, "Merkle audit log"): the 8 ASCII bytes <c>VXSTH001</c>, the tree
/// size as a big-endian uint64, the timestamp in milliseconds since the Unix epoch as a big-endian uint64, then the
/// 32-byte root hash: 56 bytes. The signature is ECDSA P-256 with SHA-256 in IEEE P1363 form (r || s, 64 bytes, as in
/// COSE). <see cref="KeyId"/> is the first 8 bytes of SHA-256 over the key's SubjectPublicKeyInfo DER.
/// </summary>
/// <param name="TreeSize">Leaves (audit entries) covered: entries with seq 1..TreeSize.</param>
/// <param name="TimestampMs">When it was signed, milliseconds since the Unix epoch.</param>
/// <param name="RootHash">MTH of the first <paramref name="TreeSize"/> leaves.</param>
/// <param name="KeyId">Which log key signed.</param>
/// <param name="Signature">ES256 (P1363) over <see cref="SignedData"/>.</param>
public sealed record SignedTreeHead(long TreeSize, long TimestampMs, byte[] RootHash, byte[] KeyId, byte[] Signature)
{
    /// <summary>The leading tag; another serialization would get another tag.</summary>
    public static ReadOnlySpan<byte> Tag => "VXSTH001"u8;

    /// <summary>The exact bytes that are signed.</summary>
    public byte[] SignedData => Serialize(TreeSize, TimestampMs, RootHash);

    /// <summary>The signed bytes for these values.</summary>
    public static byte[] Serialize(long treeSize, long timestampMs, ReadOnlySpan<byte> rootHash)
    {
        if (rootHash.Length != MerkleTree.HashLength)
            throw new ArgumentException("a root hash is 32 bytes", nameof(rootHash));
        var data = new byte[8 + 8 + 8 + MerkleTree.HashLength];
        Tag.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(8), treeSize);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), timestampMs);
        rootHash.CopyTo(data.AsSpan(24));
        return data;
    }

    /// <summary>True when <paramref name="logKey"/> signed this head (and the key id names it). Never throws for malformed heads.</summary>
    public bool VerifySignature(ECDsa logKey)
    {
        try
        {
            return RootHash.Length == MerkleTree.HashLength && Signature.Length == 64 && TreeSize >= 0
                   && KeyId.AsSpan().SequenceEqual(EcdsaTreeHeadSigner.KeyIdOf(logKey))
                   && logKey.VerifyData(SignedData, Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>Signs tree heads; the seam for a software key, an HSM or a remote signer.</summary>
public interface ITreeHeadSigner
{
    /// <summary>First 8 bytes of SHA-256 over the public key's SubjectPublicKeyInfo DER.</summary>
    byte[] KeyId { get; }

    /// <summary>ES256 over <paramref name="data"/>, IEEE P1363 (64 bytes).</summary>
    byte[] Sign(byte[] data);
}

/// <summary>An in-process ECDSA P-256 log key (the dev key is keys-dev/audit-log.key.pem).</summary>
public sealed class EcdsaTreeHeadSigner : ITreeHeadSigner
{
    private readonly ECDsa _key;

    /// <param name="key">A P-256 private key; the caller keeps ownership.</param>
    public EcdsaTreeHeadSigner(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
            throw new ArgumentException("the audit log key must be ECDSA P-256 (ES256)", nameof(key));
        _key = key;
        KeyId = KeyIdOf(key);
    }

    /// <inheritdoc />
    public byte[] KeyId { get; }

    /// <summary>The key id of any ECDSA key (public part only is used).</summary>
    public static byte[] KeyIdOf(ECDsa key) => SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..8];

    /// <inheritdoc />
    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Signs a head for these values.</summary>
    public static SignedTreeHead SignHead(ITreeHeadSigner signer, long treeSize, long timestampMs, byte[] rootHash)
        => new(treeSize, timestampMs, rootHash, signer.KeyId, signer.Sign(SignedTreeHead.Serialize(treeSize, timestampMs, rootHash)));
}
