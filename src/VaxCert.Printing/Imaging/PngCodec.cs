using System.Buffers.Binary;
using System.IO.Compression;

namespace VaxCert.Printing.Imaging;

/// <summary>An 8-bit greyscale image (0 black, 255 white), row-major.</summary>
public sealed class GreyImage
{
    public GreyImage(int width, int height, byte fill = 255)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "An image needs at least one pixel.");
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height)];
        if (fill != 0) Array.Fill(Pixels, fill);
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }
}

/// <summary>Why an image file could not be read. Image files are untrusted input: every problem is one of these, never an exception.</summary>
public enum ImageReadFailure
{
    None = 0,
    /// <summary>Not a PNG (wrong signature) or truncated.</summary>
    NotPng,
    /// <summary>A PNG feature this reader does not handle (interlacing, an unknown colour type or bit depth).</summary>
    Unsupported,
    /// <summary>Wider or taller than <see cref="PngCodec.MaxSide"/>, or more pixels than <see cref="PngCodec.MaxPixels"/>.</summary>
    TooLarge,
    /// <summary>A damaged chunk, checksum, or compressed stream.</summary>
    Corrupt,
}

/// <summary>
/// A small PNG reader and writer in safe managed code (no System.Drawing, no native imaging): the reader turns any
/// non-interlaced PNG into luminance for QR scanning and rejects hostile files by size before inflating them; the writer
/// makes greyscale PNGs.
/// </summary>
public static class PngCodec
{
    /// <summary>Largest accepted width or height (a 16-megapixel phone photo is 4656 wide).</summary>
    public const int MaxSide = 12_000;
    /// <summary>Largest accepted pixel count.</summary>
    public const long MaxPixels = 40_000_000;

    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>True when the bytes start with the PNG signature.</summary>
    public static bool LooksLikePng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    /// <summary>Decodes a PNG to luminance (alpha composited over white). Never throws on the bytes.</summary>
    public static GreyImage? TryDecode(ReadOnlySpan<byte> data, out ImageReadFailure failure)
    {
        try
        {
            return Decode(data, out failure);
        }
        catch (InvalidDataException)
        {
            failure = ImageReadFailure.Corrupt; // zlib stream damaged
            return null;
        }
    }

    private static GreyImage? Decode(ReadOnlySpan<byte> data, out ImageReadFailure failure)
    {
        failure = ImageReadFailure.NotPng;
        if (!LooksLikePng(data)) return null;
        int width = 0, height = 0, bitDepth = 0, colourType = -1;
        byte[]? palette = null, paletteAlpha = null;
        using var idat = new MemoryStream();
        var pos = 8;
        var sawEnd = false;
        while (!sawEnd)
        {
            if (pos + 12 > data.Length) { failure = ImageReadFailure.NotPng; return null; }
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            if (length > int.MaxValue || pos + 12 + (long)length > data.Length) { failure = ImageReadFailure.Corrupt; return null; }
            var type = data.Slice(pos + 4, 4);
            var body = data.Slice(pos + 8, (int)length);
            if (Crc32(data.Slice(pos + 4, 4 + (int)length)) != BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]))
            {
                failure = ImageReadFailure.Corrupt;
                return null;
            }
            pos += 12 + (int)length;
            switch (System.Text.Encoding.ASCII.GetString(type))
            {
                case "IHDR":
                    if (body.Length != 13) { failure = ImageReadFailure.Corrupt; return null; }
                    var w = BinaryPrimitives.ReadUInt32BigEndian(body);
                    var h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    if (w == 0 || h == 0 || w > MaxSide || h > MaxSide || (long)w * h > MaxPixels) { failure = ImageReadFailure.TooLarge; return null; }
                    (width, height, bitDepth, colourType) = ((int)w, (int)h, body[8], body[9]);
                    if (body[10] != 0 || body[11] != 0 || body[12] != 0 || !ValidDepth(colourType, bitDepth))
                    {
                        failure = ImageReadFailure.Unsupported; // unknown compression/filter method, or Adam7 interlacing
                        return null;
                    }
                    break;
                case "PLTE": palette = body.ToArray(); break;
                case "tRNS": if (colourType == 3) paletteAlpha = body.ToArray(); break;
                case "IDAT": idat.Write(body); break;
                case "IEND": sawEnd = true; break;
            }
        }
        if (width == 0 || (colourType == 3 && palette is null)) { failure = ImageReadFailure.Corrupt; return null; }

        var channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        // Rows are inflated one at a time: memory stays at the greyscale image plus two rows, whatever the colour depth.
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var image = new GreyImage(width, height);
        var previous = new byte[stride];
        var current = new byte[stride];
        var filter = new byte[1];
        for (var y = 0; y < height; y++)
        {
            if (!ReadExactly(inflater, filter) || !ReadExactly(inflater, current) || !Unfilter(filter[0], current, previous, bpp))
            {
                failure = ImageReadFailure.Corrupt;
                return null;
            }
            for (var x = 0; x < width; x++) image[x, y] = Luminance(current, x, colourType, bitDepth, palette, paletteAlpha);
            (previous, current) = (current, previous);
        }
        failure = ImageReadFailure.None;
        return image;
    }

    private static bool ReadExactly(Stream s, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = s.Read(buffer, read, buffer.Length - read);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    /// <summary>Encodes a greyscale image as an 8-bit greyscale PNG.</summary>
    public static byte[] EncodeGrey(GreyImage image)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < image.Height; y++)
            {
                zlib.WriteByte(0); // filter: none (these images are mostly flat runs; zlib does well on them)
                zlib.Write(image.Pixels, y * image.Width, image.Width);
            }
        }
        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)image.Width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)image.Height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static bool ValidDepth(int colourType, int depth) => colourType switch
    {
        0 => depth is 1 or 2 or 4 or 8 or 16,
        3 => depth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => depth is 8 or 16,
        _ => false,
    };

    private static bool Unfilter(byte filter, byte[] row, byte[] prior, int bpp)
    {
        switch (filter)
        {
            case 0: return true;
            case 1: for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp]; return true;
            case 2: for (var i = 0; i < row.Length; i++) row[i] += prior[i]; return true;
            case 3:
                for (var i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) / 2);
                return true;
            case 4:
                for (var i = 0; i < row.Length; i++)
                    row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, prior[i], i >= bpp ? prior[i - bpp] : (byte)0);
                return true;
            default: return false;
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte Luminance(byte[] row, int x, int colourType, int depth, byte[]? palette, byte[]? paletteAlpha)
    {
        int Sample(int index) => depth switch
        {
            16 => row[index * 2], // the high byte is enough for scanning
            8 => row[index],
            _ => ((row[index * depth / 8] >> (8 - depth - index * depth % 8)) & ((1 << depth) - 1)) * 255 / ((1 << depth) - 1),
        };
        static byte OverWhite(int grey, int alpha) => (byte)((grey * alpha + 255 * (255 - alpha)) / 255);
        static int Grey(int r, int g, int b) => (r * 299 + g * 587 + b * 114) / 1000;
        switch (colourType)
        {
            case 0: return (byte)Sample(x);
            case 2: return (byte)Grey(Sample(3 * x), Sample(3 * x + 1), Sample(3 * x + 2));
            case 3:
            {
                var index = depth == 8 ? row[x] : (row[x * depth / 8] >> (8 - depth - x * depth % 8)) & ((1 << depth) - 1);
                if (index * 3 + 2 >= palette!.Length) return 255;
                var grey = Grey(palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]);
                var alpha = paletteAlpha is not null && index < paletteAlpha.Length ? paletteAlpha[index] : 255;
                return OverWhite(grey, alpha);
            }
            case 4: return OverWhite(Sample(2 * x), Sample(2 * x + 1));
            default: return OverWhite(Grey(Sample(4 * x), Sample(4 * x + 1), Sample(4 * x + 2)), Sample(4 * x + 3));
        }
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)body.Length);
        s.Write(word);
        var typed = new byte[4 + body.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        body.CopyTo(typed.AsSpan(4));
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        s.Write(word);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
