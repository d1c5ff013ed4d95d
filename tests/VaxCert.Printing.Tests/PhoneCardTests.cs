using VaxCert.Printing.Imaging;
using VaxCert.Testing;

namespace VaxCert.Printing.Tests;

public sealed class PhoneCardTests
{
    [Fact]
    public void The_phone_image_scans_back_to_the_exact_HC1_with_zbarimg()
    {
        var certificate = IssuedSamples.Printable(IssuedSamples.Khai());
        var png = PhoneCard.RenderPng(certificate);
        File.WriteAllBytes(Path.Combine(RepoPaths.NewTempDir("phone-card"), "card.png"), png); // kept for a look
        Assert.Equal(certificate.Hc1, Zbar.DecodePng(png));
        var image = PngCodec.TryDecode(png, out var failure)!;
        Assert.Equal(ImageReadFailure.None, failure);
        Assert.Equal(PhoneCard.Width, image.Width);
        Assert.True(image.Height > image.Width, "portrait, for a phone screen");
    }

    [Fact]
    public void The_caption_draws_the_diacritics_a_name_without_them_would_not_have()
    {
        // The same name with and without marks: if the stacked marks of ấ, ằ, ể (composite glyphs) were lost, both would
        // draw the same pixels. Only the caption differs; the QRs differ too, so compare the caption rows only.
        var marked = IssuedSamples.Printable(IssuedSamples.Khai() with { FamilyName = "Giấy", GivenName = "Bằng Kiểm" });
        var plain = IssuedSamples.Printable(IssuedSamples.Khai() with { FamilyName = "Giay", GivenName = "Bang Kiem" });
        var a = PngCodec.TryDecode(PhoneCard.RenderPng(marked), out _)!;
        var b = PngCodec.TryDecode(PhoneCard.RenderPng(plain), out _)!;
        Assert.Equal(a.Height, b.Height);
        // The caption is the last ~500 rows, below the QR; everything but the name is the same on both cards, and a letter
        // with marks has the advance of its base letter, so lost marks would give exactly equal ink.
        var captionTop = a.Height - 500;
        Assert.True(Ink(a, captionTop, a.Height) > Ink(b, captionTop, b.Height), "the marks of the name are missing from the card");
    }

    internal static long Ink(GreyImage image, int fromRow, int toRow)
    {
        long ink = 0;
        for (var y = Math.Max(0, fromRow); y < Math.Min(image.Height, toRow); y++)
            for (var x = 0; x < image.Width; x++) ink += 255 - image[x, y];
        return ink;
    }
}
