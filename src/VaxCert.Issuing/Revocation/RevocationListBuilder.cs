using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using VaxCert.Core.Decoding;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Issuing.Revocation;

/// <summary>What the publisher publishes: issuer, hash types and partition mode (the same for every kid).</summary>
public sealed record RevocationListOptions
{
    /// <summary>Issuing country written into the list.</summary>
    public string Issuer { get; init; } = "VN";

    /// <summary>Hash types published for every kid (default: all three EU types).</summary>
    public IReadOnlyList<RevocationHashType> HashTypes { get; init; } =
        [RevocationHashType.Uci, RevocationHashType.CountryCodeUci, RevocationHashType.Signature];

    /// <summary>
    /// Partition mode for every (kid, type). VECTOR (256 partitions by the first hash byte) by default: a verifier that
    /// fetches partitions loads about 1/256 of a large list, and a delta touches few partitions. It must stay the same
    /// between a full list and its deltas (<see cref="RevocationListFailure.DeltaIncompatible"/> otherwise).
    /// </summary>
    public RevocationPartitionMode Mode { get; init; } = RevocationPartitionMode.Vector;
}

/// <summary>One revoked certificate handed to the builder: its list version (ledger audit seq), HC1 and expiry.</summary>
public sealed record RevokedCertificateInput(long Version, string Hc1, DateTimeOffset ExpiresAt);

/// <summary>The outcome of a build: the list and what was left out.</summary>
/// <param name="Document">The list.</param>
/// <param name="Certificates">Revoked certificates read.</param>
/// <param name="Expired">Left out because they had expired at build time (a verifier refuses them anyway).</param>
/// <param name="Undecodable">Left out because their stored HC1 could not be decoded (should never happen; logged by the caller).</param>
public sealed record RevocationListBuild(RevocationListDocument Document, long Certificates, long Expired, long Undecodable);

/// <summary>
/// Builds a <see cref="RevocationListDocument"/> from revoked certificates, streaming: per certificate the EU revocation
/// hashes are computed by the verifier SDK's own <see cref="RevocationEntries"/>/<see cref="RevocationHashes"/> (one
/// implementation for issuer and verifier), and only 16 bytes per hash type are kept, in per-partition arrays. One million
/// certificates with three hash types hold ~48 MB of hashes (docs/performance.md). Not thread-safe.
/// </summary>
public sealed class RevocationListBuilder
{
    private readonly RevocationListOptions _options;
    private readonly Dictionary<RevocationPartitionKey, Accumulator> _partitions = [];
    private readonly HashSet<(string, RevocationHashType)> _published = [];
    private byte[]? _lastKid;
    private string _lastKidHex = "";

    public RevocationListBuilder(RevocationListOptions? options = null)
    {
        _options = options ?? new RevocationListOptions();
        if (_options.HashTypes.Count == 0) throw new ArgumentException("publish at least one hash type", nameof(options));
    }

    /// <summary>Adds a certificate's hashes (every published type it has) under its kid; false when it has no kid.</summary>
    public bool Add(RevocationEntries entries, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.KeyId is not { Length: > 0 } kid) return false;
        var kidHex = KidHex(kid);
        foreach (var type in _options.HashTypes)
        {
            if (entries.Get(type) is not { } hash) continue;
            _published.Add((kidHex, type));
            var key = RevocationListDocument.Key(_options.Mode, kidHex, type, hash);
            if (!_partitions.TryGetValue(key, out var partition)) _partitions[key] = partition = new Accumulator(expires);
            partition.Add(BinaryPrimitives.ReadUInt128BigEndian(hash), expires);
        }
        return true;
    }

    /// <summary>Freezes what was added into a list at <paramref name="version"/> (a delta when <paramref name="sinceVersion"/> &gt; 0).</summary>
    public RevocationListDocument Build(long version, long sinceVersion, DateTimeOffset issuedAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, sinceVersion);
        var publications = _published.Select(p => new RevocationPublication(p.Item1, p.Item2, _options.Mode));
        var partitions = _partitions.Select(p => new RevocationPartition(p.Key, p.Value.Expires, p.Value.Freeze()));
        return new RevocationListDocument(_options.Issuer, version, sinceVersion, DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds()),
            RevocationListDocument.Ordered(publications), RevocationListDocument.Ordered(partitions));
    }

    /// <summary>
    /// Reads <paramref name="revoked"/> once (any order) and builds the list. Its version is the highest input version, or
    /// <paramref name="sinceVersion"/> when there is none (an empty delta keeps the version it was asked from). Certificates
    /// expired at <paramref name="now"/> are counted but left out.
    /// </summary>
    public static async Task<RevocationListBuild> BuildAsync(IAsyncEnumerable<RevokedCertificateInput> revoked, long sinceVersion,
        DateTimeOffset now, RevocationListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var builder = new RevocationListBuilder(options);
        long version = sinceVersion, read = 0, expired = 0, undecodable = 0;
        await foreach (var certificate in revoked.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            read++;
            version = Math.Max(version, certificate.Version);
            if (certificate.ExpiresAt <= now) { expired++; continue; }
            if (RevocationEntries.FromHc1(certificate.Hc1, out _) is not { } entries || !builder.Add(entries, certificate.ExpiresAt))
                undecodable++;
        }
        return new RevocationListBuild(builder.Build(version, sinceVersion, now), read, expired, undecodable);
    }

    private string KidHex(byte[] kid)
    {
        if (_lastKid is null || !_lastKid.AsSpan().SequenceEqual(kid))
        {
            _lastKid = kid;
            _lastKidHex = Convert.ToHexStringLower(kid);
        }
        return _lastKidHex;
    }

    private sealed class Accumulator(DateTimeOffset expires)
    {
        private UInt128[] _values = new UInt128[16];
        private int _count;

        public DateTimeOffset Expires { get; private set; } = expires;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(UInt128 value, DateTimeOffset expires)
        {
            if (_count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
            _values[_count++] = value;
            if (expires > Expires) Expires = expires;
        }

        public UInt128[] Freeze()
        {
            Array.Sort(_values, 0, _count);
            var unique = _count == 0 ? 0 : 1;
            for (var i = 1; i < _count; i++)
                if (_values[i] != _values[unique - 1]) _values[unique++] = _values[i];
            var frozen = unique == _values.Length ? _values : _values[..unique];
            _values = [];
            _count = 0;
            return frozen;
        }
    }
}
