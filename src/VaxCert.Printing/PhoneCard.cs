using System.Globalization;
using VaxCert.Core.Dcc;
using VaxCert.Printing.Imaging;

namespace VaxCert.Printing;

/// <summary>
/// A portrait PNG for a phone screen: the QR large and whole-pixel sharp, and under it a bilingual caption a border officer
/// can read at a glance (name with diacritics, passport name, vaccine and dose, validity, UVCI). Greyscale, drawn with the
/// embedded font: no graphics library and no system font.
/// </summary>
public static class PhoneCard
{
    /// <summary>Image width in pixels (a common phone screen width).</summary>
    public const int Width = 1080;

    private const int Margin = 60;

    public static byte[] RenderPng(PrintableCertificate c)
    {
        var modules = QrModules.For(c.Hc1);
        var pixelsPerModule = (Width - 2 * Margin) / modules.Width;
        var qrSide = pixelsPerModule * modules.Width;

        var lines = Caption(c);
        var captionHeight = lines.Sum(l => l.Size * 1.45 + l.SpaceBefore);
        var height = (int)Math.Ceiling(Margin + 120 + qrSide + 30 + captionHeight + Margin);
        var image = new GreyImage(Width, height);

        // Header band.
        var y = (double)Margin - 20;
        Centre(image, "CHỨNG NHẬN TIÊM CHỦNG COVID-19", y, 44, bold: true);
        Centre(image, "COVID-19 VACCINATION CERTIFICATE", y + 60, 30, bold: false, ink: 70);
        y = Margin + 120;

        var qrX = (Width - qrSide) / 2;
        for (var row = 0; row < modules.Height; row++)
        for (var col = 0; col < modules.Width; col++)
        {
            if (!modules.IsDark(col, row)) continue;
            for (var dy = 0; dy < pixelsPerModule; dy++)
            for (var dx = 0; dx < pixelsPerModule; dx++)
                image[qrX + col * pixelsPerModule + dx, (int)y + row * pixelsPerModule + dy] = 0;
        }
        y += qrSide + 30;

        foreach (var line in lines)
        {
            y += line.SpaceBefore;
            Centre(image, line.Text, y, line.Size, line.Bold, line.Ink);
            y += line.Size * 1.45;
        }
        return PngCodec.EncodeGrey(image);
    }

    private sealed record Line(string Text, double Size, bool Bold = false, byte Ink = 0, double SpaceBefore = 0);

    private static List<Line> Caption(PrintableCertificate c)
    {
        var r = c.Record;
        var product = DisplayNames.Product(r.VaccineProduct).English;
        var dose = string.Create(CultureInfo.InvariantCulture, $"{r.DoseNumber}/{r.TotalDoses}");
        var lines = new List<Line> { new(r.FullName, 58, Bold: true) };
        if (c.IcaoName is { } icao) lines.Add(new(icao, 34, Ink: 60));
        lines.Add(new($"Ngày sinh / Born {r.DateOfBirth}", 34, SpaceBefore: 8));
        lines.Add(new($"{DisplayNames.Disease(r.TargetedDisease).English} · {product} · mũi / dose {dose} · {DccMapper.FormatDate(r.DateOfVaccination)}", 34, SpaceBefore: 18));
        lines.Add(new($"Có giá trị đến / Valid until {c.ExpiresAt.UtcDateTime:yyyy-MM-dd}", 38, Bold: true, SpaceBefore: 18));
        lines.Add(new(r.CertificateId, 26, Ink: 60, SpaceBefore: 18));
        lines.Add(new($"Cấp bởi / Issued by {c.IssuerName} ({c.IssuerCountry})", 26, Ink: 60));
        return lines;
    }

    private static void Centre(GreyImage image, string text, double top, double size, bool bold, byte ink = 0)
    {
        var fitted = TextPainter.Fit(text, size, Width - 2 * Margin, bold);
        var width = TextPainter.Measure(text, fitted, bold);
        TextPainter.Draw(image, text, (Width - width) / 2, top + (size - fitted) / 2, fitted, bold, ink);
    }
}
