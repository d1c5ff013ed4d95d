using System.Buffers.Binary;
using VaxCert.Verifier.Checks;

namespace VaxCert.Verifier.Revocation;

/// <summary>
/// How the EU revocation distribution service partitions one (kid, hash type) list: POINT (one partition), VECTOR (by
/// the hash's first byte x) or COORDINATE (by x and the second byte y). A verifier fetches only the partitions its
/// certificates fall into.
/// </summary>
public enum RevocationPartitionMode { Point, Vector, Coordinate }

/// <summary>The address of one partition: kid (hex), hash type, and x/y where the mode uses them.</summary>
public readonly record struct RevocationPartitionKey(string KeyIdHex, RevocationHashType Type, byte? X, byte? Y)
{
    /// <summary>The partition <paramref name="hash"/> falls into under <paramref name="mode"/>.</summary>
    public static RevocationPartitionKey For(RevocationPartitionMode mode, ReadOnlySpan<byte> keyId, RevocationHashType type, ReadOnlySpan<byte> hash)
        => new(Convert.ToHexStringLower(keyId), type,
            mode == RevocationPartitionMode.Point ? null : hash[0],
            mode == RevocationPartitionMode.Coordinate ? hash[1] : null);
}

/// <summary>
/// EU-style revocation lists: per signer kid, the hash types the issuer publishes with their partition mode, and per
/// partition a sorted set of 16-byte hashes and an expiry (after which its certificates have expired anyway, so the
/// partition is ignored and can be dropped). A hash listed under one kid never revokes a certificate of another kid,
/// unlike the flat <see cref="RevocationList"/>. Immutable and thread-safe once built.
/// </summary>
public sealed class PartitionedRevocationList
{
    private readonly Dictionary<string, Dictionary<RevocationHashType, RevocationPartitionMode>> _kids;
    private readonly Dictionary<RevocationPartitionKey, Partition> _partitions;

    private PartitionedRevocationList(Dictionary<string, Dictionary<RevocationHashType, RevocationPartitionMode>> kids,
        Dictionary<RevocationPartitionKey, Partition> partitions)
    {
        _kids = kids;
        _partitions = partitions;
    }

    /// <summary>All partitions with their entry count and expiry (what a distribution service would serve).</summary>
    public IEnumerable<(RevocationPartitionKey Key, int Count, DateTimeOffset Expires)> Partitions
        => _partitions.Select(p => (p.Key, p.Value.Hashes.Length, p.Value.Expires));

    /// <summary>True when a partition in force at <paramref name="now"/> lists one of the certificate's hashes under its kid.</summary>
    public bool IsRevoked(RevocationEntries entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.KeyId is not { } kid || !_kids.TryGetValue(Convert.ToHexStringLower(kid), out var types)) return false;
        foreach (var (type, mode) in types)
        {
            if (entries.Get(type) is not { } hash) continue;
            var key = RevocationPartitionKey.For(mode, kid, type, hash);
            if (_partitions.TryGetValue(key, out var partition) && now < partition.Expires
                && Array.BinarySearch(partition.Hashes, BinaryPrimitives.ReadUInt128BigEndian(hash)) >= 0) return true;
        }
        return false;
    }

    // A plain sorted array: partitions are small (COORDINATE mode makes up to 65,536 per kid and type), so the flat list's
    // 256 KiB bucket index per set would cost far more than it saves.
    private sealed record Partition(UInt128[] Hashes, DateTimeOffset Expires);

    /// <summary>Collects revocations, then freezes them.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, Dictionary<RevocationHashType, RevocationPartitionMode>> _kids = new(StringComparer.Ordinal);
        private readonly Dictionary<RevocationPartitionKey, (List<UInt128> Hashes, DateTimeOffset Expires)> _pending = [];
        // Whole partitions from AddPartition, kept as given (the arrays are not copied until they must be merged).
        private readonly Dictionary<RevocationPartitionKey, (UInt128[][] Chunks, DateTimeOffset Expires)> _bulk = [];

        /// <summary>Declares that <paramref name="keyId"/>'s certificates are revoked by <paramref name="type"/> hashes, partitioned by <paramref name="mode"/>.</summary>
        public Builder Publish(ReadOnlySpan<byte> keyId, RevocationHashType type, RevocationPartitionMode mode)
        {
            var kid = Convert.ToHexStringLower(keyId);
            if (!_kids.TryGetValue(kid, out var types)) _kids[kid] = types = [];
            if (types.TryGetValue(type, out var existing) && existing != mode)
                throw new ArgumentException($"kid {kid} already publishes {type} as {existing}", nameof(mode));
            types[type] = mode;
            return this;
        }

        /// <summary>Revokes one hash (16 bytes) under a declared (kid, type); the partition expires at the latest expiry given.</summary>
        public Builder Add(ReadOnlySpan<byte> keyId, RevocationHashType type, ReadOnlySpan<byte> hash, DateTimeOffset expires)
        {
            if (hash.Length != RevocationList.BytesPerEntry) throw new ArgumentException("an EU revocation hash has 16 bytes", nameof(hash));
            var kid = Convert.ToHexStringLower(keyId);
            if (!_kids.TryGetValue(kid, out var types) || !types.TryGetValue(type, out var mode))
                throw new InvalidOperationException($"kid {kid} does not publish {type} hashes; call Publish first");
            var key = RevocationPartitionKey.For(mode, keyId, type, hash);
            var (hashes, latest) = _pending.TryGetValue(key, out var p) ? p : ([], expires);
            hashes.Add(BinaryPrimitives.ReadUInt128BigEndian(hash));
            _pending[key] = (hashes, expires > latest ? expires : latest);
            return this;
        }

        /// <summary>
        /// Adds a whole partition at once (bulk loading of a list or bundle): its hashes must all lie in
        /// <paramref name="key"/>'s partition under the declared mode, which the caller has checked; order and duplicates do
        /// not matter. No per-hash key or string is built, so millions of hashes load in one pass.
        /// </summary>
        internal Builder AddPartition(RevocationPartitionKey key, UInt128[] hashes, DateTimeOffset expires)
        {
            if (!_kids.TryGetValue(key.KeyIdHex, out var types) || !types.ContainsKey(key.Type))
                throw new InvalidOperationException($"kid {key.KeyIdHex} does not publish {key.Type} hashes; call Publish first");
            if (_bulk.TryGetValue(key, out var p))
                _bulk[key] = ([.. p.Chunks, hashes], expires > p.Expires ? expires : p.Expires);
            else
                _bulk[key] = ([hashes], expires);
            return this;
        }

        /// <summary>Revokes a certificate by every hash type its kid publishes.</summary>
        public Builder Revoke(RevocationEntries entries, DateTimeOffset expires)
        {
            if (entries.KeyId is not { } kid || !_kids.TryGetValue(Convert.ToHexStringLower(kid), out var types))
                throw new InvalidOperationException("the certificate's kid publishes no revocation list");
            foreach (var type in types.Keys)
                if (entries.Get(type) is { } hash) Add(kid, type, hash, expires);
            return this;
        }

        public PartitionedRevocationList Build()
        {
            var partitions = new Dictionary<RevocationPartitionKey, Partition>(_pending.Count + _bulk.Count);
            foreach (var (key, (hashes, expires)) in _bulk)
            {
                var (single, latest) = _pending.TryGetValue(key, out var p) ? (p.Hashes, p.Expires > expires ? p.Expires : expires) : (null, expires);
                partitions[key] = new Partition(hashes.Length == 1 && single is null && StrictlyAscending(hashes[0])
                    ? hashes[0] // a decoded list's partition is already sorted and distinct: share it
                    : SortedDistinct([.. hashes.SelectMany(h => h), .. single ?? []]), latest);
            }
            foreach (var (key, (hashes, expires)) in _pending)
                if (!partitions.ContainsKey(key)) partitions[key] = new Partition(SortedDistinct(hashes), expires);
            return new(_kids.ToDictionary(k => k.Key, k => new Dictionary<RevocationHashType, RevocationPartitionMode>(k.Value), StringComparer.Ordinal),
                partitions);
        }

        private static bool StrictlyAscending(UInt128[] values)
        {
            for (var i = 1; i < values.Length; i++)
                if (values[i] <= values[i - 1]) return false;
            return true;
        }

        private static UInt128[] SortedDistinct(List<UInt128> hashes)
        {
            var values = hashes.ToArray();
            Array.Sort(values);
            var unique = values.Length == 0 ? 0 : 1;
            for (var i = 1; i < values.Length; i++)
                if (values[i] != values[unique - 1]) values[unique++] = values[i];
            return unique == values.Length ? values : values[..unique];
        }

        /// <summary>True when every hash's first bytes are the partition's x (and y) under <paramref name="mode"/>.</summary>
        internal static bool AllInPartition(ReadOnlySpan<UInt128> hashes, RevocationPartitionMode mode, byte? x, byte? y)
        {
            if ((x is null) != (mode == RevocationPartitionMode.Point) || (y is null) != (mode != RevocationPartitionMode.Coordinate)) return false;
            if (mode == RevocationPartitionMode.Point) return true;
            foreach (var h in hashes)
                if ((byte)(h >> 120) != x || (mode == RevocationPartitionMode.Coordinate && (byte)(h >> 112) != y)) return false;
            return true;
        }
    }
}

/// <summary>
/// The verifier hook for EU-style partitioned revocation lists: add to <see cref="VerifierOptions.AdditionalChecks"/>
/// and a listed certificate is answered <see cref="ReasonCode.Revoked"/>. Runs after the signature verified, so the
/// kid and hashes are those of an authentic certificate.
/// </summary>
public sealed class PartitionedRevocationCheck(PartitionedRevocationList list) : IAdditionalCheck
{
    public string Name => "eu-revocation";

    public ReasonCode Check(AdditionalCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = RevocationEntries.From(context.Message, context.Claims, context.Certificate.DccNode);
        return list.IsRevoked(entries, context.Now) ? ReasonCode.Revoked : ReasonCode.None;
    }
}
