using System.Collections;

namespace VaxCert.Core.Bundle;

/// <summary>
/// A partition's 16-byte revocation hashes as one packed buffer, as they travel in a bundle. Decoding keeps them packed
/// (one array per partition instead of one per hash: a million revoked certificates would otherwise be three million small
/// arrays), and readers that know this type take <see cref="Packed"/> directly; the list view copies one hash per access.
/// </summary>
public sealed class PackedRevocationHashes : IReadOnlyList<byte[]>
{
    private readonly byte[] _packed;

    /// <param name="packed">n × 16 bytes (kept, not copied).</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 16.</exception>
    public PackedRevocationHashes(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (packed.Length % TrustBundleFormat.HashBytes != 0) throw new ArgumentException("revocation hashes are 16 bytes each", nameof(packed));
        _packed = packed;
    }

    /// <summary>All hashes back to back.</summary>
    public ReadOnlySpan<byte> Packed => _packed;

    /// <inheritdoc />
    public int Count => _packed.Length / TrustBundleFormat.HashBytes;

    /// <inheritdoc />
    public byte[] this[int index] => (uint)index < (uint)Count
        ? _packed.AsSpan(index * TrustBundleFormat.HashBytes, TrustBundleFormat.HashBytes).ToArray()
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public IEnumerator<byte[]> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
