using VaxCert.Issuing.Qr;
using VaxCert.Printing.Imaging;
using VaxCert.Printing.Scanning;
using VaxCert.Testing;

namespace VaxCert.Printing.Tests;

/// <summary>Reading QR codes back from image files (ZXing.Net on luminance from the managed PNG reader).</summary>
public sealed class QrImageReaderTests
{
    private static readonly string Hc1 = IssuedSamples.Issue(IssuedSamples.Khai());

    [Fact]
    public void Reads_the_phone_card_and_the_issuer_QR_png_back_to_the_exact_HC1()
    {
        Assert.Equal(Hc1, QrImageReader.Read(PhoneCard.RenderPng(PrintableCertificate.TryRead(Hc1, out _)!)).Text);
        foreach (var pixels in new[] { 2, 6 })
        {
            var result = QrImageReader.Read(QrRenderer.RenderPng(Hc1, QrErrorCorrection.Q, pixels).Content);
            Assert.True(result.Success, result.Message);
            Assert.Equal(Hc1, result.Text);
        }
    }

    [Fact]
    public void Reads_a_page_of_the_printed_PDF_as_poppler_renders_it()
    {
        var pdf = Path.Combine(RepoPaths.NewTempDir("scan-pdf"), "c.pdf");
        File.WriteAllBytes(pdf, CertificatePdf.Render(PrintableCertificate.TryRead(Hc1, out _)!));
        var page = Poppler.PagesToPng(pdf, dpi: 150)[0]; // 8-bit RGB PNG, another encoder than ours
        var result = QrImageReader.ReadFile(page);
        Assert.True(result.Success, result.Message);
        Assert.Equal(Hc1, result.Text);
    }

    [Fact]
    public void Reads_a_photo_like_image_uneven_light_noise_and_a_tilted_frame()
    {
        // The QR at 4 px/module, turned 90 degrees, on a 1800 x 1500 background with a light gradient and sensor noise.
        var qr = PngCodec.TryDecode(QrRenderer.RenderPng(Hc1, QrErrorCorrection.Q, 4).Content, out _)!;
        var photo = new GreyImage(1800, 1500);
        var random = new Random(5);
        for (var y = 0; y < photo.Height; y++)
        for (var x = 0; x < photo.Width; x++)
            photo[x, y] = (byte)Math.Clamp(200 - x / 30 - y / 40 + random.Next(-12, 13), 0, 255);
        for (var y = 0; y < qr.Height; y++)
        for (var x = 0; x < qr.Width; x++)
        {
            var (px, py) = (500 + (qr.Height - 1 - y), 300 + x); // rotated
            var shade = qr[x, y] < 128 ? 35 : 215 - px / 30;
            photo[px, py] = (byte)Math.Clamp(shade + random.Next(-15, 16), 0, 255);
        }
        var result = QrImageReader.Read(PngCodec.EncodeGrey(photo));
        Assert.True(result.Success, result.Message);
        Assert.Equal(Hc1, result.Text);
    }

    [Fact]
    public void Files_that_are_not_QR_images_give_a_typed_reason()
    {
        Assert.Equal(ScanFailure.UnsupportedFormat, QrImageReader.Read([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).Failure); // JPEG
        Assert.Contains("PNG", QrImageReader.Read([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).Message);
        Assert.Equal(ScanFailure.UnsupportedFormat, QrImageReader.Read("HC1:NCF"u8).Failure);
        Assert.Equal(ScanFailure.NoQrCode, QrImageReader.Read(PngCodec.EncodeGrey(new GreyImage(300, 200))).Failure);
        var png = QrRenderer.RenderPng(Hc1).Content;
        Assert.Equal(ScanFailure.ImageUnreadable, QrImageReader.Read(png.AsSpan(0, png.Length / 2)).Failure);
        Assert.Equal(ScanFailure.FileUnreadable, QrImageReader.ReadFile(Path.Combine(RepoPaths.NewTempDir("scan"), "missing.png")).Failure);
    }

    [Fact]
    public void A_PNG_header_claiming_a_huge_image_is_refused_before_any_pixel_memory_is_taken()
    {
        var png = PngCodec.EncodeGrey(new GreyImage(4, 4));
        // IHDR width/height at bytes 16..23; a wrong CRC would be caught first, so recompute by re-encoding is not possible:
        // patch the size and the CRC the way an attacker would.
        var patched = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(16), 60_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(20), 60_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(29), Crc32(patched.AsSpan(12, 17)));
        Assert.Null(PngCodec.TryDecode(patched, out var failure));
        Assert.Equal(ImageReadFailure.TooLarge, failure);
    }

    [Fact]
    public void Damaged_PNG_bytes_never_throw()
    {
        var png = PhoneCard.RenderPng(PrintableCertificate.TryRead(Hc1, out _)!);
        var random = new Random(14);
        for (var i = 0; i < 300; i++)
        {
            var damaged = (byte[])png.Clone();
            for (var k = random.Next(1, 6); k > 0; k--) damaged[random.Next(8, damaged.Length)] = (byte)random.Next(256);
            var cut = random.Next(3) == 0 ? random.Next(8, damaged.Length) : damaged.Length;
            var result = QrImageReader.Read(damaged.AsSpan(0, cut));
            Assert.True(result.Success ? result.Text == Hc1 : result.Message.Length > 0);
        }
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFFu;
    }
}
