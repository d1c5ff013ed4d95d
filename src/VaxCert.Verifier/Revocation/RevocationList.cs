using System.Buffers.Binary;

namespace VaxCert.Verifier.Revocation;

/// <summary>The three EU DCC revocation hash types.</summary>
public enum RevocationHashType
{
    /// <summary>SHA-256 over the UCI (v/t/r ci), UTF-8.</summary>
    Uci,
    /// <summary>SHA-256 over CWT iss followed by the UCI.</summary>
    CountryCodeUci,
    /// <summary>SHA-256 over the signature: ES256 the r half only (s is malleable), PS256 all of it.</summary>
    Signature,
}

/// <summary>
/// An immutable set of 128-bit revocation hashes (the first 16 bytes of SHA-256) per hash type. Each type is a sorted
/// array of <see cref="UInt128"/> (16 bytes per entry) plus a 65,537-slot index on the first two bytes (256 KiB per type,
/// fixed), so a lookup reads one index slot and binary-searches a bucket that holds ~N/65,536 entries: constant time for
/// uniformly distributed hashes. One million entries take 16.3 MB.
/// </summary>
public sealed class RevocationList
{
    /// <summary>Bytes of one entry.</summary>
    public const int BytesPerEntry = 16;

    private readonly HashBucketSet[] _sets;

    private RevocationList(HashBucketSet[] sets) => _sets = sets;

    /// <summary>An empty list.</summary>
    public static RevocationList Empty { get; } = new Builder().Build();

    /// <summary>Total entries over all types.</summary>
    public int Count => _sets.Sum(s => s.Count);

    /// <summary>True when the first 16 bytes of <paramref name="hash"/> are listed under <paramref name="type"/>.</summary>
    public bool Contains(RevocationHashType type, ReadOnlySpan<byte> hash)
        => hash.Length >= BytesPerEntry && _sets[(int)type].Contains(BinaryPrimitives.ReadUInt128BigEndian(hash));

    /// <summary>Accumulates hashes, then freezes them into a list.</summary>
    public sealed class Builder
    {
        private readonly List<UInt128>[] _pending = [[], [], []];

        /// <summary>Adds one hash (at least 16 bytes; only the first 16 count).</summary>
        public Builder Add(RevocationHashType type, ReadOnlySpan<byte> hash)
        {
            if (hash.Length < BytesPerEntry) throw new ArgumentException("a revocation hash has at least 16 bytes", nameof(hash));
            _pending[(int)type].Add(BinaryPrimitives.ReadUInt128BigEndian(hash));
            return this;
        }

        /// <summary>Pre-sizes the storage for <paramref name="count"/> entries of one type.</summary>
        public Builder Reserve(RevocationHashType type, int count)
        {
            _pending[(int)type].EnsureCapacity(count);
            return this;
        }

        /// <summary>The frozen list.</summary>
        public RevocationList Build() => new(_pending.Select(p => new HashBucketSet(p.ToArray())).ToArray());
    }
}

/// <summary>Sorted 128-bit values with a bucket index on their top 16 bits.</summary>
internal sealed class HashBucketSet
{
    private readonly UInt128[] _sorted;
    private readonly int[] _bucketStart; // bucket b spans [_bucketStart[b], _bucketStart[b + 1])

    public HashBucketSet(UInt128[] values)
    {
        Array.Sort(values);
        var unique = values.Length == 0 ? 0 : 1;
        for (var i = 1; i < values.Length; i++)
            if (values[i] != values[unique - 1]) values[unique++] = values[i];
        _sorted = unique == values.Length ? values : values[..unique];
        _bucketStart = new int[65537];
        var position = 0;
        for (var bucket = 0; bucket <= 65536; bucket++)
        {
            while (position < _sorted.Length && Bucket(_sorted[position]) < bucket) position++;
            _bucketStart[bucket] = position;
        }
    }

    public int Count => _sorted.Length;

    public bool Contains(UInt128 value)
    {
        var bucket = Bucket(value);
        var start = _bucketStart[bucket];
        var length = _bucketStart[bucket + 1] - start;
        return length > 0 && Array.BinarySearch(_sorted, start, length, value) >= 0;
    }

    private static int Bucket(UInt128 value) => (int)(value >> 112);
}
