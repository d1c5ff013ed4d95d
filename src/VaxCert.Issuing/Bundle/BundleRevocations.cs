using VaxCert.Core.Bundle;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Issuing.Bundle;

/// <summary>
/// Collects revocation hashes (16 bytes each, computed as the EU revocation spec says) into the bundle's EU-format lists:
/// one list per (signer kid, hash type), partitioned by the mode (POINT: one partition; VECTOR: by the hash's first byte;
/// COORDINATE: by the first two bytes), each partition expiring with the latest certificate in it. The mode of a
/// (kid, type) must stay the same across a bundle's life (deltas merge partitions), so callers pass the base bundle's
/// modes through <see cref="UseModesOf"/>.
/// </summary>
public sealed class BundleRevocations(string defaultMode = TrustBundleFormat.ModeVector)
{
    private readonly Dictionary<(string Kid, string Type), (byte[] Kid, string Mode, Dictionary<(byte?, byte?), (DateTimeOffset Expires, Dictionary<string, byte[]> Hashes)> Partitions)> _lists = [];
    private readonly Dictionary<(string Kid, string Type), string> _modes = [];

    /// <summary>Keeps the partition modes of an earlier bundle, so a delta against it can merge.</summary>
    public BundleRevocations UseModesOf(TrustBundleContent previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        foreach (var list in previous.Revocations) _modes[(Convert.ToHexStringLower(list.KeyId), list.HashType)] = list.Mode;
        return this;
    }

    /// <summary>Adds one hash of <paramref name="hashType"/> (UCI, COUNTRYCODEUCI, SIGNATURE) for a certificate signed by <paramref name="keyId"/>.</summary>
    public BundleRevocations Add(ReadOnlySpan<byte> keyId, string hashType, ReadOnlySpan<byte> hash, DateTimeOffset expires)
    {
        if (hash.Length != TrustBundleFormat.HashBytes) throw new ArgumentException("an EU revocation hash has 16 bytes", nameof(hash));
        if (hashType is not (TrustBundleFormat.HashUci or TrustBundleFormat.HashCountryCodeUci or TrustBundleFormat.HashSignature))
            throw new ArgumentException($"unknown hash type {hashType}", nameof(hashType));
        var kidHex = Convert.ToHexStringLower(keyId);
        var key = (kidHex, hashType);
        if (!_lists.TryGetValue(key, out var list))
            _lists[key] = list = (keyId.ToArray(), _modes.GetValueOrDefault(key, defaultMode), []);
        var partition = list.Mode switch
        {
            TrustBundleFormat.ModePoint => ((byte?)null, (byte?)null),
            TrustBundleFormat.ModeVector => (hash[0], null),
            TrustBundleFormat.ModeCoordinate => (hash[0], hash[1]),
            _ => throw new InvalidOperationException($"unknown mode {list.Mode}"),
        };
        var (latest, hashes) = list.Partitions.TryGetValue(partition, out var p) ? p : (expires, new Dictionary<string, byte[]>(StringComparer.Ordinal));
        hashes[Convert.ToHexStringLower(hash)] = hash.ToArray();
        list.Partitions[partition] = (expires > latest ? expires : latest, hashes);
        return this;
    }

    /// <summary>
    /// Adds every hash of an issuer revocation list (<see cref="RevocationListBuilder"/>'s output), each with its
    /// partition's expiry: a bundle carries the same hashes the issuer publishes.
    /// </summary>
    public BundleRevocations AddAll(RevocationListDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var partition in document.Partitions)
        {
            var kid = Convert.FromHexString(partition.Key.KeyIdHex);
            var type = RevocationListDocument.TypeName(partition.Key.Type);
            foreach (var hash in partition.Hashes) Add(kid, type, hash, partition.Expires);
        }
        return this;
    }

    /// <summary>The lists, in a stable order (kid, type, partition; hashes sorted).</summary>
    public IReadOnlyList<BundleRevocationList> Build() => _lists
        .OrderBy(l => l.Key.Kid, StringComparer.Ordinal).ThenBy(l => l.Key.Type, StringComparer.Ordinal)
        .Select(l => new BundleRevocationList(l.Value.Kid, l.Key.Type, l.Value.Mode, l.Value.Partitions
            .OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2)
            .Select(p => new BundleRevocationPartition(p.Key.Item1, p.Key.Item2, p.Value.Expires,
                p.Value.Hashes.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Value).ToList()))
            .ToList()))
        .ToList();
}
