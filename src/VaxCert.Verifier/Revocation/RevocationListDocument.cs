using System.Buffers.Binary;
using System.Formats.Cbor;

namespace VaxCert.Verifier.Revocation;

/// <summary>One (kid, hash type) the list publishes, with its partition mode (as the EU revocation service declares per kid).</summary>
/// <param name="KeyIdHex">The document signer's kid, lowercase hex.</param>
/// <param name="Type">Hash type.</param>
/// <param name="Mode">How the hashes of this (kid, type) are partitioned.</param>
public sealed record RevocationPublication(string KeyIdHex, RevocationHashType Type, RevocationPartitionMode Mode);

/// <summary>One partition: its address, the latest expiry of its certificates, and its sorted, distinct 16-byte hashes.</summary>
public sealed class RevocationPartition
{
    private readonly UInt128[] _hashes;

    internal RevocationPartition(RevocationPartitionKey key, DateTimeOffset expires, UInt128[] sortedDistinct)
    {
        Key = key;
        Expires = expires;
        _hashes = sortedDistinct;
    }

    /// <summary>Kid, type and x/y (as the mode uses them).</summary>
    public RevocationPartitionKey Key { get; }

    /// <summary>The latest expiry of the certificates in it: past this time the whole partition can be dropped.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>Number of hashes.</summary>
    public int Count => _hashes.Length;

    /// <summary>The hashes, ascending (16 bytes each, big-endian as in the certificate's SHA-256).</summary>
    public IEnumerable<byte[]> Hashes => _hashes.Select(ToBytes);

    /// <summary>True when the partition lists <paramref name="hash"/> (16 bytes).</summary>
    public bool Contains(ReadOnlySpan<byte> hash) =>
        hash.Length == RevocationList.BytesPerEntry && Array.BinarySearch(_hashes, BinaryPrimitives.ReadUInt128BigEndian(hash)) >= 0;

    internal ReadOnlySpan<UInt128> Values => _hashes;

    internal UInt128[] ValuesArray => _hashes;

    internal static byte[] ToBytes(UInt128 value)
    {
        var bytes = new byte[RevocationList.BytesPerEntry];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return bytes;
    }
}

/// <summary>Why a revocation list (or a delta) cannot be used.</summary>
public enum RevocationListFailure
{
    /// <summary>No failure.</summary>
    None,
    /// <summary>The bytes are not a COSE_Sign1 message.</summary>
    NotCoseSign1,
    /// <summary>No trusted list signer has the message's kid.</summary>
    UnknownSigner,
    /// <summary>The signature does not verify with the signer's key.</summary>
    SignatureInvalid,
    /// <summary>The payload is not a VaxCert revocation list of a supported format version.</summary>
    UnsupportedFormat,
    /// <summary>The payload is malformed (bad CBOR, a hash outside its partition, unsorted or duplicate hashes, ...).</summary>
    PayloadInvalid,
    /// <summary>A delta does not follow the list it is applied to (it starts after that list's version: a delta is missing).</summary>
    DeltaGap,
    /// <summary>The delta is from another issuer, or publishes a (kid, type) with another partition mode: fetch a full list.</summary>
    DeltaIncompatible,
}

/// <summary>
/// A VaxCert revocation list: the EU DCC revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE; 16 bytes) of the issuer's
/// revoked certificates, partitioned per signer kid and hash type as the EU revocation distribution service does
/// (POINT, VECTOR by the first hash byte, COORDINATE by the first two), each partition with the latest expiry of its
/// certificates. <see cref="Version"/> is the ledger's audit sequence number of the newest revocation included; a delta
/// (<see cref="SinceVersion"/> &gt; 0) holds only revocations after that version. The wire form is deterministic CBOR
/// (<see cref="Encode"/>, docs/verifier.md "Signed revocation lists"), signed as COSE_Sign1 by the issuer and opened by <see cref="RevocationListReader"/>.
/// Immutable.
/// </summary>
public sealed class RevocationListDocument
{
    /// <summary>The format identifier carried in every list ("fmt").</summary>
    public const string Format = "vaxcert-revocation-list/1";

    /// <summary>Most entries a decoded list may hold (bounds memory for untrusted input).</summary>
    public const long MaxEntries = 64L * 1024 * 1024;

    internal RevocationListDocument(string issuer, long version, long sinceVersion, DateTimeOffset issuedAt,
        IReadOnlyList<RevocationPublication> publications, IReadOnlyList<RevocationPartition> partitions)
    {
        Issuer = issuer;
        Version = version;
        SinceVersion = sinceVersion;
        IssuedAt = issuedAt;
        Publications = publications;
        Partitions = partitions;
        _byKey = partitions.ToDictionary(p => p.Key);
        _modes = publications.ToDictionary(p => (p.KeyIdHex, p.Type), p => p.Mode);
    }

    private readonly Dictionary<RevocationPartitionKey, RevocationPartition> _byKey;
    private readonly Dictionary<(string, RevocationHashType), RevocationPartitionMode> _modes;

    /// <summary>Issuing country (ISO 3166-1 alpha-2), e.g. "VN".</summary>
    public string Issuer { get; }

    /// <summary>The list version: audit sequence number of the newest revocation it includes (0 for an empty ledger).</summary>
    public long Version { get; }

    /// <summary>0 for a full list; for a delta, the version it applies on top of (it holds revocations after it).</summary>
    public long SinceVersion { get; }

    /// <summary>True for a delta.</summary>
    public bool IsDelta => SinceVersion > 0;

    /// <summary>When the list was produced (whole seconds).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The (kid, type, mode) declarations.</summary>
    public IReadOnlyList<RevocationPublication> Publications { get; }

    /// <summary>The partitions, ordered by kid, type, x, y.</summary>
    public IReadOnlyList<RevocationPartition> Partitions { get; }

    /// <summary>Hashes over all partitions.</summary>
    public long EntryCount => Partitions.Sum(p => (long)p.Count);

    /// <summary>True when the list revokes <paramref name="hash"/> of <paramref name="type"/> under <paramref name="keyId"/> (expiry not considered).</summary>
    public bool Contains(ReadOnlySpan<byte> keyId, RevocationHashType type, ReadOnlySpan<byte> hash)
    {
        var kid = Convert.ToHexStringLower(keyId);
        return hash.Length == RevocationList.BytesPerEntry && _modes.TryGetValue((kid, type), out var mode)
            && _byKey.TryGetValue(Key(mode, kid, type, hash), out var partition) && partition.Contains(hash);
    }

    /// <summary>The verifier SDK's partitioned list (<see cref="PartitionedRevocationCheck"/>) with the same content.</summary>
    public PartitionedRevocationList ToPartitionedList()
    {
        var builder = new PartitionedRevocationList.Builder();
        foreach (var p in Publications)
            builder.Publish(Convert.FromHexString(p.KeyIdHex), p.Type, p.Mode);
        foreach (var partition in Partitions)
            builder.AddPartition(partition.Key, partition.ValuesArray, partition.Expires); // both immutable: shared, not copied
        return builder.Build();
    }

    /// <summary>
    /// Applies <paramref name="delta"/> to this list: the union of both, at the delta's version. The delta must start at
    /// or before this list's version (else <see cref="RevocationListFailure.DeltaGap"/>), come from the same issuer and keep
    /// each (kid, type)'s partition mode (else <see cref="RevocationListFailure.DeltaIncompatible"/>).
    /// </summary>
    public RevocationListDocument? Apply(RevocationListDocument delta, out RevocationListFailure failure)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.SinceVersion > Version) { failure = RevocationListFailure.DeltaGap; return null; }
        if (delta.Issuer != Issuer || delta.Publications.Any(p => _modes.TryGetValue((p.KeyIdHex, p.Type), out var m) && m != p.Mode))
        {
            failure = RevocationListFailure.DeltaIncompatible;
            return null;
        }
        var publications = Publications.Concat(delta.Publications.Where(p => !_modes.ContainsKey((p.KeyIdHex, p.Type)))).ToList();
        var merged = new Dictionary<RevocationPartitionKey, RevocationPartition>(_byKey);
        foreach (var d in delta.Partitions)
            merged[d.Key] = merged.TryGetValue(d.Key, out var mine)
                ? new RevocationPartition(d.Key, mine.Expires > d.Expires ? mine.Expires : d.Expires, Union(mine.Values, d.Values))
                : d;
        failure = RevocationListFailure.None;
        return new RevocationListDocument(Issuer, Math.Max(Version, delta.Version), SinceVersion, delta.IssuedAt, Ordered(publications),
            Ordered(merged.Values));
    }

    /// <summary>The payload bytes (deterministic CBOR map, text keys; see docs/verifier.md).</summary>
    public byte[] Encode()
    {
        var w = new CborWriter(CborConformanceMode.Lax, initialCapacity: (int)Math.Min(int.MaxValue / 2, 256 + EntryCount * 16 + Partitions.Count * 40L));
        w.WriteStartMap(7);
        w.WriteTextString("fmt"); w.WriteTextString(Format);
        w.WriteTextString("iss"); w.WriteTextString(Issuer);
        w.WriteTextString("ver"); w.WriteInt64(Version);
        w.WriteTextString("since"); w.WriteInt64(SinceVersion);
        w.WriteTextString("iat"); w.WriteInt64(IssuedAt.ToUnixTimeSeconds());
        w.WriteTextString("pub");
        w.WriteStartArray(Publications.Count);
        foreach (var p in Publications)
        {
            w.WriteStartArray(3);
            w.WriteByteString(Convert.FromHexString(p.KeyIdHex));
            w.WriteTextString(TypeName(p.Type));
            w.WriteTextString(ModeName(p.Mode));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteTextString("parts");
        w.WriteStartArray(Partitions.Count);
        var buffer = Array.Empty<byte>();
        foreach (var p in Partitions)
        {
            w.WriteStartArray(6);
            w.WriteByteString(Convert.FromHexString(p.Key.KeyIdHex));
            w.WriteTextString(TypeName(p.Key.Type));
            if (p.Key.X is { } x) w.WriteInt32(x); else w.WriteNull();
            if (p.Key.Y is { } y) w.WriteInt32(y); else w.WriteNull();
            w.WriteInt64(p.Expires.ToUnixTimeSeconds());
            var length = p.Count * RevocationList.BytesPerEntry;
            if (buffer.Length < length) buffer = new byte[length];
            for (var i = 0; i < p.Count; i++)
                BinaryPrimitives.WriteUInt128BigEndian(buffer.AsSpan(i * RevocationList.BytesPerEntry), p.Values[i]);
            w.WriteByteString(buffer.AsSpan(0, length));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a payload (untrusted: never throws for bad input, checks every hash sits in its partition).</summary>
    public static RevocationListDocument? TryDecode(ReadOnlyMemory<byte> payload, out RevocationListFailure failure)
    {
        try
        {
            var document = Decode(new CborReader(payload, CborConformanceMode.Lax), out failure);
            return document;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            failure = RevocationListFailure.PayloadInvalid;
            return null;
        }
    }

    private static RevocationListDocument? Decode(CborReader r, out RevocationListFailure failure)
    {
        failure = RevocationListFailure.PayloadInvalid;
        string? format = null, issuer = null;
        long? version = null, since = null, iat = null;
        List<RevocationPublication>? publications = null;
        List<RevocationPartition>? partitions = null;
        var fields = r.ReadStartMap() ?? -1;
        if (fields < 0) return null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields; i++)
        {
            var name = r.ReadTextString();
            if (!names.Add(name)) return null; // a repeated key would make two readers see two lists
            switch (name)
            {
                case "fmt": format = r.ReadTextString(); break;
                case "iss": issuer = r.ReadTextString(); break;
                case "ver": version = r.ReadInt64(); break;
                case "since": since = r.ReadInt64(); break;
                case "iat": iat = r.ReadInt64(); break;
                case "pub": publications = ReadPublications(r); break;
                case "parts": partitions = ReadPartitions(r); break;
                default: r.SkipValue(); break; // later minor versions may add fields
            }
        }
        r.ReadEndMap();
        if (r.BytesRemaining != 0) return null;
        if (format != Format)
        {
            failure = RevocationListFailure.UnsupportedFormat;
            return null;
        }
        if (issuer is null || version is not >= 0 || since is not >= 0 || since > version || iat is null || publications is null || partitions is null)
            return null;
        var modes = new Dictionary<(string, RevocationHashType), RevocationPartitionMode>();
        foreach (var p in publications)
            if (!modes.TryAdd((p.KeyIdHex, p.Type), p.Mode)) return null;
        var seen = new HashSet<RevocationPartitionKey>();
        long entries = 0;
        foreach (var p in partitions)
        {
            // Every partition belongs to a declared (kid, type), has the x/y its mode needs, and every hash lies in it.
            if (!modes.TryGetValue((p.Key.KeyIdHex, p.Key.Type), out var mode) || !seen.Add(p.Key)) return null;
            if (!PartitionedRevocationList.Builder.AllInPartition(p.Values, mode, p.Key.X, p.Key.Y)) return null;
            entries += p.Count;
            if (entries > MaxEntries) return null;
        }
        failure = RevocationListFailure.None;
        return new RevocationListDocument(issuer, version.Value, since.Value, DateTimeOffset.FromUnixTimeSeconds(iat.Value),
            Ordered(publications), Ordered(partitions));
    }

    private static List<RevocationPublication> ReadPublications(CborReader r)
    {
        var list = new List<RevocationPublication>();
        var count = r.ReadStartArray() ?? throw new FormatException("indefinite array");
        for (var i = 0; i < count; i++)
        {
            if (r.ReadStartArray() != 3) throw new FormatException("publication");
            list.Add(new RevocationPublication(ReadKid(r), ParseType(r.ReadTextString()), ParseMode(r.ReadTextString())));
            r.ReadEndArray();
        }
        r.ReadEndArray();
        return list;
    }

    private static List<RevocationPartition> ReadPartitions(CborReader r)
    {
        var list = new List<RevocationPartition>();
        var count = r.ReadStartArray() ?? throw new FormatException("indefinite array");
        for (var i = 0; i < count; i++)
        {
            if (r.ReadStartArray() != 6) throw new FormatException("partition");
            var kid = ReadKid(r);
            var type = ParseType(r.ReadTextString());
            var x = ReadCoordinate(r);
            var y = ReadCoordinate(r);
            var expires = DateTimeOffset.FromUnixTimeSeconds(r.ReadInt64());
            var bytes = r.ReadDefiniteLengthByteString().Span; // no copy: converted straight into the values
            if (bytes.Length % RevocationList.BytesPerEntry != 0) throw new FormatException("hashes");
            var values = new UInt128[bytes.Length / RevocationList.BytesPerEntry];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(j * RevocationList.BytesPerEntry));
                if (j > 0 && values[j] <= values[j - 1]) throw new FormatException("hashes must be strictly ascending");
            }
            r.ReadEndArray();
            list.Add(new RevocationPartition(new RevocationPartitionKey(kid, type, x, y), expires, values));
        }
        r.ReadEndArray();
        return list;
    }

    private static string ReadKid(CborReader r)
    {
        var kid = r.ReadByteString();
        return kid.Length is > 0 and <= 64 ? Convert.ToHexStringLower(kid) : throw new FormatException("kid");
    }

    private static byte? ReadCoordinate(CborReader r)
    {
        if (r.PeekState() == CborReaderState.Null) { r.ReadNull(); return null; }
        var value = r.ReadInt32();
        return value is >= 0 and <= 255 ? (byte)value : throw new FormatException("coordinate");
    }

    internal static RevocationPartitionKey Key(RevocationPartitionMode mode, string kidHex, RevocationHashType type, ReadOnlySpan<byte> hash) =>
        new(kidHex, type, mode == RevocationPartitionMode.Point ? null : hash[0], mode == RevocationPartitionMode.Coordinate ? hash[1] : null);

    internal static IReadOnlyList<RevocationPublication> Ordered(IEnumerable<RevocationPublication> publications) =>
        publications.OrderBy(p => p.KeyIdHex, StringComparer.Ordinal).ThenBy(p => p.Type).ToList();

    internal static IReadOnlyList<RevocationPartition> Ordered(IEnumerable<RevocationPartition> partitions) =>
        partitions.OrderBy(p => p.Key.KeyIdHex, StringComparer.Ordinal).ThenBy(p => p.Key.Type)
            .ThenBy(p => p.Key.X ?? -1).ThenBy(p => p.Key.Y ?? -1).ToList();

    private static UInt128[] Union(ReadOnlySpan<UInt128> a, ReadOnlySpan<UInt128> b)
    {
        var result = new UInt128[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length || j < b.Length)
        {
            var next = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (n == 0 || result[n - 1] != next) result[n++] = next;
        }
        return n == result.Length ? result : result[..n];
    }

    /// <summary>The EU name of a hash type: UCI, COUNTRYCODEUCI, SIGNATURE.</summary>
    public static string TypeName(RevocationHashType type) => type switch
    {
        RevocationHashType.Uci => "UCI",
        RevocationHashType.CountryCodeUci => "COUNTRYCODEUCI",
        _ => "SIGNATURE",
    };

    /// <summary>The EU name of a partition mode: POINT, VECTOR, COORDINATE.</summary>
    public static string ModeName(RevocationPartitionMode mode) => mode switch
    {
        RevocationPartitionMode.Point => "POINT",
        RevocationPartitionMode.Vector => "VECTOR",
        _ => "COORDINATE",
    };

    private static RevocationHashType ParseType(string name) => name switch
    {
        "UCI" => RevocationHashType.Uci,
        "COUNTRYCODEUCI" => RevocationHashType.CountryCodeUci,
        "SIGNATURE" => RevocationHashType.Signature,
        _ => throw new FormatException("hash type"),
    };

    private static RevocationPartitionMode ParseMode(string name) => name switch
    {
        "POINT" => RevocationPartitionMode.Point,
        "VECTOR" => RevocationPartitionMode.Vector,
        "COORDINATE" => RevocationPartitionMode.Coordinate,
        _ => throw new FormatException("partition mode"),
    };
}
