using VaxCert.Issuing.Qr;

namespace VaxCert.Issuing.Tests.Qr;

public class QrRendererTests
{
    private static readonly string Hc1Like = "HC1:" + new string('A', 560); // a typical ES256 certificate length

    [Fact]
    public void Png_and_svg_report_the_same_version_and_size()
    {
        var png = QrRenderer.RenderPng(Hc1Like);
        var svg = QrRenderer.RenderSvg(Hc1Like);
        Assert.Equal("image/png", png.MediaType);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Content[..4]);
        Assert.Equal("image/svg+xml", svg.MediaType);
        Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(svg.Content));
        Assert.Equal(png.Version, svg.Version);
        Assert.Equal(17 + 4 * png.Version, png.ModulesPerSide); // ISO/IEC 18004: 4 modules per version step
    }

    [Fact]
    public void One_encoding_serves_the_version_and_only_the_requested_images()
    {
        var both = QrRenderer.Render(Hc1Like, QrErrorCorrection.Q, png: true, svg: true);
        Assert.Equal(QrRenderer.VersionFor(Hc1Like), both.Version);
        Assert.Equal(QrRenderer.RenderPng(Hc1Like).Content, both.Png);
        Assert.Contains("<svg", both.Svg);
        var pngOnly = QrRenderer.Render(Hc1Like, QrErrorCorrection.M, png: true, svg: false);
        Assert.Null(pngOnly.Svg);
        Assert.Equal(QrRenderer.VersionFor(Hc1Like, QrErrorCorrection.M), pngOnly.Version);
    }

    [Fact]
    public void Level_M_needs_no_larger_symbol_than_level_Q()
    {
        var q = QrRenderer.VersionFor(Hc1Like, QrErrorCorrection.Q);
        var m = QrRenderer.VersionFor(Hc1Like, QrErrorCorrection.M);
        Assert.True(m < q, $"M {m} should be smaller than Q {q} for {Hc1Like.Length} characters");
        // Alphanumeric capacity at level Q, version 18 is 593 characters (ISO/IEC 18004 Table 7): 564 fit, 594 do not.
        Assert.Equal(18, q);
        Assert.Equal(19, QrRenderer.VersionFor("HC1:" + new string('A', 590), QrErrorCorrection.Q));
    }

    [Fact]
    public void Digit_runs_may_use_numeric_segments_but_never_a_larger_symbol()
    {
        // QRCoder segments optimally: a run of digits inside Base45 text may go in numeric mode, which is never larger
        // than alphanumeric; no Base45 character needs byte mode. Readers decode mixed modes (zbarimg tests do).
        var digits = "HC1:" + new string('6', 560);
        Assert.True(QrRenderer.VersionFor(digits) <= QrRenderer.VersionFor(Hc1Like));
    }

    [Theory]
    [InlineData("HC1:abc")]          // lower case is not alphanumeric mode
    [InlineData("HC1:ÄÖ")]
    public void Refuses_text_outside_the_alphanumeric_set(string text)
    {
        Assert.False(QrRenderer.Fits(text));
        Assert.Throws<ArgumentException>(() => QrRenderer.RenderPng(text));
    }

    [Fact]
    public void Refuses_text_beyond_version_40()
    {
        var tooLong = "HC1:" + new string('A', QrRenderer.MaxAlphanumericLength(QrErrorCorrection.Q));
        Assert.False(QrRenderer.Fits(tooLong, QrErrorCorrection.Q));
        Assert.True(QrRenderer.Fits(tooLong, QrErrorCorrection.L));
    }
}
