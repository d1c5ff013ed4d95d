using System.IO.Compression;

namespace VaxCert.Core.Encoding;

/// <summary>zlib (RFC 1950) compression of the COSE bytes, with a hard cap on inflated size when decoding.</summary>
public static class Zlib
{
    /// <summary>Default cap on inflated bytes: far above any real DCC (about 1 KB) and small enough to stop bombs.</summary>
    public const int DefaultMaxInflatedBytes = 64 * 1024;

    /// <summary>
    /// Compresses with the smallest output (header 78 DA), which keeps the QR code small. Certificates (at most
    /// <see cref="SmallDeflate.MaxInputLength"/> bytes) go through <see cref="SmallDeflate"/>: zlib level 9's bytes, or
    /// a byte fewer, at a fraction of the cost; anything larger through the system zlib at level 9.
    /// </summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
        => data.Length <= SmallDeflate.MaxInputLength ? SmallDeflate.Compress(data)
            : NativeZlib.TryCompress(data) ?? CompressManaged(data);

    /// <summary>The portable path (ZLibStream); also the reference the native path is tested against.</summary>
    internal static byte[] CompressManaged(ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream(data.Length + 64);
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(data);
        // ZLibStream writes nothing at all when given no data; emit the valid empty stream instead.
        return output.Length == 0 ? [0x78, 0xDA, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01] : output.ToArray();
    }

    /// <summary>Inflates a zlib stream; never throws on bad input and never allocates beyond the cap.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, out byte[] inflated, out DecodeFailure failure,
        int maxInflatedBytes = DefaultMaxInflatedBytes)
    {
        inflated = [];
        if (!HasValidHeader(compressed))
        {
            failure = DecodeFailure.ZlibInvalid;
            return false;
        }
        if (NativeZlib.TryDecompress(compressed, maxInflatedBytes, out inflated) is { } nativeResult)
        {
            failure = nativeResult;
            return nativeResult == DecodeFailure.None;
        }
        return TryDecompressManaged(compressed, out inflated, out failure, maxInflatedBytes);
    }

    /// <summary>The portable inflate (ZLibStream); also the reference the native path is tested against.</summary>
    internal static bool TryDecompressManaged(ReadOnlySpan<byte> compressed, out byte[] inflated, out DecodeFailure failure,
        int maxInflatedBytes = DefaultMaxInflatedBytes)
    {
        inflated = [];
        if (!HasValidHeader(compressed))
        {
            failure = DecodeFailure.ZlibInvalid;
            return false;
        }
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            var buffer = new byte[Math.Min(maxInflatedBytes + 1, Math.Max(256, compressed.Length * 4))];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > maxInflatedBytes) { failure = DecodeFailure.ZlibTooLarge; return false; }
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxInflatedBytes + 1));
                }
                var n = z.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
                if (total > maxInflatedBytes) { failure = DecodeFailure.ZlibTooLarge; return false; }
            }
            // .NET's inflater returns end-of-data on a truncated stream without complaint, so check the RFC 1950
            // trailer ourselves: the input must end with the Adler-32 of what it inflated to.
            if (!TrailerMatches(compressed, buffer.AsSpan(0, total)))
            {
                failure = DecodeFailure.ZlibInvalid;
                return false;
            }
            inflated = buffer.AsSpan(0, total).ToArray();
            failure = DecodeFailure.None;
            return true;
        }
        catch (InvalidDataException)
        {
            failure = DecodeFailure.ZlibInvalid;
            return false;
        }
    }

    private static bool TrailerMatches(ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> inflated)
    {
        uint a = 1, b = 0;
        foreach (var x in inflated)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        var adler = (b << 16) | a;
        var tail = compressed[^4..];
        return ((uint)tail[0] << 24 | (uint)tail[1] << 16 | (uint)tail[2] << 8 | tail[3]) == adler;
    }

    /// <summary>RFC 1950 header: CM = 8 (deflate), CINFO ≤ 7, no preset dictionary, and the FCHECK multiple of 31.</summary>
    private static bool HasValidHeader(ReadOnlySpan<byte> data)
        => data.Length >= 6
           && (data[0] & 0x0F) == 8
           && (data[0] >> 4) <= 7
           && (data[1] & 0x20) == 0
           && ((data[0] << 8) | data[1]) % 31 == 0;
}
