using VaxCert.Printing.Imaging;
using ZXing;
using ZXing.Common;

namespace VaxCert.Printing.Scanning;

/// <summary>Why no QR text came out of an image file.</summary>
public enum ScanFailure
{
    None = 0,
    /// <summary>The file could not be opened or is larger than <see cref="QrImageReader.MaxFileBytes"/>.</summary>
    FileUnreadable,
    /// <summary>Not a PNG file (JPEG photos are not read yet: save or export them as PNG).</summary>
    UnsupportedFormat,
    /// <summary>A PNG that is damaged, too large, or uses a feature the reader does not handle.</summary>
    ImageUnreadable,
    /// <summary>The image was read but holds no QR code that could be decoded.</summary>
    NoQrCode,
}

/// <summary>The text of the QR code found in an image, or why there is none.</summary>
public sealed record ScanResult(string? Text, ScanFailure Failure, string Message)
{
    public bool Success => Failure == ScanFailure.None;
}

/// <summary>
/// Reads the QR code from a screenshot, a phone-card PNG or a PNG photo. ZXing.Net is the only barcode-reading dependency
/// and stays behind this class; images are turned into luminance by <see cref="PngCodec"/> (managed, no System.Drawing).
/// Image files are untrusted: every problem is a <see cref="ScanFailure"/>, never an exception.
/// </summary>
public static class QrImageReader
{
    /// <summary>Largest image file read (a 12-megapixel PNG photo is ~20 MB).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    // ZXing's detector is happiest when the symbol is a few hundred pixels wide; big photos are also tried halved.
    private const int DownscaleAbove = 1600;

    /// <summary>File extensions <see cref="ReadFile"/> looks at when given a folder.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png"];

    public static ScanResult ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return new(null, ScanFailure.FileUnreadable, $"no such file: {path}");
            if (info.Length > MaxFileBytes) return new(null, ScanFailure.FileUnreadable, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MB");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, ScanFailure.FileUnreadable, $"cannot read {path}: {e.Message}");
        }
        return Read(bytes);
    }

    public static ScanResult Read(ReadOnlySpan<byte> bytes)
    {
        if (!PngCodec.LooksLikePng(bytes))
        {
            return IsJpeg(bytes)
                ? new(null, ScanFailure.UnsupportedFormat, "JPEG photos are not read yet; save the photo as PNG")
                : new(null, ScanFailure.UnsupportedFormat, "not a PNG image");
        }
        var image = PngCodec.TryDecode(bytes, out var failure);
        if (image is null) return new(null, ScanFailure.ImageUnreadable, $"the PNG cannot be read ({failure})");
        var text = Decode(image);
        if (text is null && Math.Max(image.Width, image.Height) > DownscaleAbove) text = Decode(Halve(image));
        return text is null
            ? new(null, ScanFailure.NoQrCode, "no QR code found in the image")
            : new(text, ScanFailure.None, "");
    }

    private static string? Decode(GreyImage image)
    {
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true, CharacterSet = "ISO-8859-1" },
        };
        try
        {
            return reader.Decode(new RGBLuminanceSource(image.Pixels, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null; // a reader failure on odd input is "no QR code", not a crash
        }
    }

    private static GreyImage Halve(GreyImage image)
    {
        var half = new GreyImage(Math.Max(1, image.Width / 2), Math.Max(1, image.Height / 2));
        for (var y = 0; y < half.Height; y++)
        for (var x = 0; x < half.Width; x++)
        {
            var sum = image[2 * x, 2 * y] + image[Math.Min(2 * x + 1, image.Width - 1), 2 * y]
                + image[2 * x, Math.Min(2 * y + 1, image.Height - 1)] + image[Math.Min(2 * x + 1, image.Width - 1), Math.Min(2 * y + 1, image.Height - 1)];
            half[x, y] = (byte)(sum / 4);
        }
        return half;
    }

    private static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}
