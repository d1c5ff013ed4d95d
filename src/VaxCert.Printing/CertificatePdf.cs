using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Printing.Imaging;

namespace VaxCert.Printing;

/// <summary>
/// The printable bilingual certificate: one A4 page per person, as a single PDF or a facility batch. PDFsharp is the only
/// PDF dependency and stays behind this class. Fonts are the embedded DejaVu Sans, embedded whole into the PDF.
/// </summary>
public static class CertificatePdf
{
    /// <summary>Printed QR side. 60 mm keeps modules near 0.7 mm for the ~80-module HC1 symbols: phone cameras read that from paper.</summary>
    public const double QrSideMillimetres = 60;

    private const double Margin = 36; // points
    private static readonly XColor Ink = XColor.FromArgb(0x1a, 0x1a, 0x1a);
    private static readonly XColor Accent = XColor.FromArgb(0x9b, 0x11, 0x1e); // the red of official seals
    private static readonly XColor Muted = XColor.FromArgb(0x55, 0x55, 0x55);
    private static readonly XColor RowShade = XColor.FromArgb(0xf4, 0xf1, 0xea);

    // Whole fonts, not subsets: PDFsharp 6.2.4's subsetter drops the mark glyphs of composite letters (ằ printed as à).
    // That costs ~0.7 MB per PDF (once per batch, not per page).
    private static readonly XPdfFontOptions FontOptions = new(PdfFontEncoding.Unicode, PdfFontEmbedding.EmbedCompleteFontFile);
    private static readonly object FontSetupLock = new();
    private static bool _fontsReady;

    /// <summary>A one-page PDF for one person.</summary>
    public static byte[] Render(PrintableCertificate certificate) => Render([certificate], batchLabel: null);

    /// <summary>
    /// A PDF with one page per certificate, in order; <paramref name="batchLabel"/> (e.g. the facility code) is printed in each
    /// page's footer with the page's position in the batch.
    /// </summary>
    public static byte[] Render(IReadOnlyList<PrintableCertificate> certificates, string? batchLabel)
    {
        if (certificates.Count == 0) throw new ArgumentException("Nothing to print.", nameof(certificates));
        EnsureFonts();
        using var document = new PdfDocument();
        document.Info.Title = certificates.Count == 1
            ? $"Giấy chứng nhận tiêm chủng COVID-19 / COVID-19 vaccination certificate — {certificates[0].Record.FullName}"
            : $"Giấy chứng nhận tiêm chủng COVID-19 / COVID-19 vaccination certificates — {batchLabel}";
        document.Info.Creator = "VaxCert";
        for (var i = 0; i < certificates.Count; i++)
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(page);
            DrawPage(gfx, page.Width.Point, page.Height.Point, certificates[i],
                batchLabel is null ? null : $"{batchLabel} · {i + 1}/{certificates.Count}");
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void DrawPage(XGraphics g, double width, double height, PrintableCertificate c, string? batchLine)
    {
        var regular = (double size) => new XFont(EmbeddedFonts.Family, size, XFontStyleEx.Regular, FontOptions);
        var bold = (double size) => new XFont(EmbeddedFonts.Family, size, XFontStyleEx.Bold, FontOptions);
        var ink = new XSolidBrush(Ink);
        var muted = new XSolidBrush(Muted);
        var accent = new XSolidBrush(Accent);

        // Double frame, as on printed state certificates.
        g.DrawRectangle(new XPen(Accent, 2.2), Margin - 14, Margin - 14, width - 2 * (Margin - 14), height - 2 * (Margin - 14));
        g.DrawRectangle(new XPen(Accent, 0.6), Margin - 9, Margin - 9, width - 2 * (Margin - 9), height - 2 * (Margin - 9));

        // Letterhead: issuing ministry on the left, the national name and motto on the right (Vietnamese administrative form).
        var left = new XRect(Margin, Margin, (width - 2 * Margin) * 0.42, 60);
        var right = new XRect(Margin + (width - 2 * Margin) * 0.42, Margin, (width - 2 * Margin) * 0.58, 60);
        Centered(g, "BỘ Y TẾ", bold(11), ink, left.X, left.Y, left.Width);
        Centered(g, "MINISTRY OF HEALTH", regular(8), muted, left.X, left.Y + 14, left.Width);
        Centered(g, "Cục Y tế dự phòng", regular(8.5), ink, left.X, left.Y + 27, left.Width);
        Centered(g, "General Department of Preventive Medicine", regular(7), muted, left.X, left.Y + 39, left.Width);
        Centered(g, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold(10), ink, right.X, right.Y, right.Width);
        Centered(g, "Độc lập - Tự do - Hạnh phúc", bold(9.5), ink, right.X, right.Y + 14, right.Width);
        var mottoWidth = g.MeasureString("Độc lập - Tự do - Hạnh phúc", bold(9.5)).Width;
        g.DrawLine(new XPen(Ink, 0.6), right.X + (right.Width - mottoWidth) / 2, right.Y + 27, right.X + (right.Width + mottoWidth) / 2, right.Y + 27);
        Centered(g, "SOCIALIST REPUBLIC OF VIET NAM", regular(8), muted, right.X, right.Y + 31, right.Width);
        Centered(g, "Independence - Freedom - Happiness", regular(7), muted, right.X, right.Y + 42, right.Width);

        // Title.
        var y = Margin + 78;
        Centered(g, "GIẤY CHỨNG NHẬN TIÊM CHỦNG COVID-19", bold(17), accent, Margin, y, width - 2 * Margin);
        Centered(g, "COVID-19 VACCINATION CERTIFICATE", bold(11.5), ink, Margin, y + 23, width - 2 * Margin);
        y += 48;
        g.DrawLine(new XPen(Accent, 0.8), width / 2 - 90, y, width / 2 + 90, y);
        y += 16;

        // Holder and QR side by side.
        var qrSide = XUnit.FromMillimeter(QrSideMillimetres).Point;
        var qrX = width - Margin - qrSide;
        DrawQr(g, c.Hc1, qrX, y, qrSide);
        Centered(g, "Quét để xác minh / Scan to verify", regular(7.5), muted, qrX, y + qrSide + 4, qrSide);

        var textWidth = qrX - Margin - 16;
        Left(g, "Họ và tên / Name", regular(8), muted, Margin, y);
        var nameFont = Fit(g, c.Record.FullName, textWidth, 20, bold);
        Left(g, c.Record.FullName, nameFont, ink, Margin, y + 12);
        if (c.IcaoName is { } icao)
        {
            Left(g, "Tên theo hộ chiếu (ICAO 9303) / Name as in passport (ICAO 9303)", regular(7.5), muted, Margin, y + 42);
            Left(g, icao, Fit(g, icao, textWidth, 12, regular), ink, Margin, y + 53);
        }
        Left(g, "Ngày sinh / Date of birth", regular(7.5), muted, Margin, y + 76);
        Left(g, c.Record.DateOfBirth, bold(11), ink, Margin, y + 87);
        var nationality = DisplayNames.Country(c.Record.Nationality);
        Left(g, "Quốc tịch / Nationality", regular(7.5), muted, Margin + textWidth / 2, y + 76);
        Left(g, nationality.Both, Fit(g, nationality.Both, textWidth / 2, 11, bold), ink, Margin + textWidth / 2, y + 87);
        Left(g, "Mã chứng nhận / Certificate identifier (UVCI)", regular(7.5), muted, Margin, y + 110);
        Left(g, c.Record.CertificateId, Fit(g, c.Record.CertificateId, textWidth, 9.5, bold), ink, Margin, y + 121);
        y += qrSide + 26;

        // The 11 fields of Decision 5772.
        y = DrawFieldTable(g, c, Margin, y, width - 2 * Margin, regular, bold);

        // Validity and issuer.
        y += 16;
        var half = (width - 2 * Margin) / 2;
        Left(g, "Ngày cấp / Issued", regular(7.5), muted, Margin, y);
        Left(g, FormatTime(c.IssuedAt), bold(10.5), ink, Margin, y + 11);
        Left(g, "Có giá trị đến / Valid until", regular(7.5), muted, Margin + half, y);
        Left(g, FormatTime(c.ExpiresAt), bold(10.5), accent, Margin + half, y + 11);
        y += 32;
        var country = DisplayNames.Country(c.IssuerCountry);
        Left(g, "Cơ quan cấp / Issued by", regular(7.5), muted, Margin, y);
        var issuer = c.IssuerName == IssuerSettings.Default.IssuerName ? $"Bộ Y tế Việt Nam / {c.IssuerName}" : c.IssuerName;
        Left(g, issuer, Fit(g, issuer, width - 2 * Margin, 10.5, bold), ink, Margin, y + 11);
        Left(g, $"Quốc gia cấp / Issuing country: {country.Both} ({c.IssuerCountry})", regular(8.5), ink, Margin, y + 26);

        // Footer: how to check it, and which batch the page belongs to.
        var footerY = height - Margin - 30;
        g.DrawLine(new XPen(Muted, 0.4), Margin, footerY - 6, width - Margin, footerY - 6);
        Left(g, "Giấy chứng nhận chỉ có giá trị khi mã QR được xác minh thành công bằng ứng dụng kiểm tra chứng nhận EU DCC.",
            regular(7), muted, Margin, footerY);
        Left(g, "This certificate is valid only when its QR code verifies in an EU DCC-compatible verifier app.",
            regular(7), muted, Margin, footerY + 10);
        if (batchLine is not null) Right(g, batchLine, regular(7), muted, width - Margin, footerY + 20);
    }

    private static double DrawFieldTable(XGraphics g, PrintableCertificate c, double x, double y, double width,
        Func<double, XFont> regular, Func<double, XFont> bold)
    {
        const double rowHeight = 26;
        var numberWidth = 22.0;
        var labelWidth = width * 0.36;
        var valueX = x + numberWidth + labelWidth;
        var valueWidth = width - numberWidth - labelWidth - 6;
        var ink = new XSolidBrush(Ink);
        var muted = new XSolidBrush(Muted);
        g.DrawLine(new XPen(Ink, 0.8), x, y, x + width, y);
        var fields = c.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var top = y + i * rowHeight;
            if (i % 2 == 0) g.DrawRectangle(new XSolidBrush(RowShade), x, top, width, rowHeight);
            Left(g, f.Number.ToString(CultureInfo.InvariantCulture) + ".", regular(8.5), muted, x + 4, top + 8);
            Left(g, f.Label.Vietnamese, bold(8.5), ink, x + numberWidth, top + 3.5);
            Left(g, f.Label.English, regular(7.5), muted, x + numberWidth, top + 14.5);
            // Number 1 repeats the name; the ICAO form is printed above, so the row keeps the natural name only.
            var value = f.Number == 1 ? new BilingualText(c.Record.FullName, c.Record.FullName) : f.Value;
            if (value.Vietnamese == value.English)
            {
                Left(g, value.English, Fit(g, value.English, valueWidth, 10, bold), ink, valueX, top + 7.5);
            }
            else
            {
                Left(g, value.Vietnamese, Fit(g, value.Vietnamese, valueWidth, 9, bold), ink, valueX, top + 3);
                Left(g, value.English, Fit(g, value.English, valueWidth, 8, regular), muted, valueX, top + 14);
            }
        }
        var bottom = y + fields.Count * rowHeight;
        g.DrawLine(new XPen(Ink, 0.8), x, bottom, x + width, bottom);
        return bottom;
    }

    private static void DrawQr(XGraphics g, string hc1, double x, double y, double side)
    {
        // Vector modules (one rectangle per dark run in a row): sharp on any printer, at any zoom.
        var modules = QrModules.For(hc1);
        var unit = side / modules.Width;
        var dark = new XSolidBrush(XColors.Black);
        for (var row = 0; row < modules.Height; row++)
        {
            for (var col = 0; col < modules.Width;)
            {
                if (!modules.IsDark(col, row)) { col++; continue; }
                var start = col;
                while (col < modules.Width && modules.IsDark(col, row)) col++;
                // A hair of overlap closes the seams some rasterisers leave between touching rectangles.
                g.DrawRectangle(dark, x + start * unit, y + row * unit, (col - start) * unit + 0.05, unit + 0.05);
            }
        }
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static XFont Fit(XGraphics g, string text, double maxWidth, double size, Func<double, XFont> font)
    {
        var f = font(size);
        while (size > 6 && g.MeasureString(text, f).Width > maxWidth)
        {
            size -= 0.5;
            f = font(size);
        }
        return f;
    }

    private static void Left(XGraphics g, string text, XFont font, XBrush brush, double x, double top) =>
        g.DrawString(text, font, brush, new XRect(x, top, 10_000, font.Height), XStringFormats.TopLeft);

    private static void Right(XGraphics g, string text, XFont font, XBrush brush, double right, double top) =>
        g.DrawString(text, font, brush, new XRect(right - 10_000, top, 10_000, font.Height), XStringFormats.TopRight);

    private static void Centered(XGraphics g, string text, XFont font, XBrush brush, double x, double top, double width) =>
        g.DrawString(text, font, brush, new XRect(x, top, width, font.Height), XStringFormats.TopCenter);

    // PDFsharp's font resolver is process-global and may be set only once; VaxCert.Printing is its only user.
    private static void EnsureFonts()
    {
        lock (FontSetupLock)
        {
            if (_fontsReady) return;
            if (GlobalFontSettings.FontResolver is null) GlobalFontSettings.FontResolver = new Resolver();
            _fontsReady = true;
        }
    }

    private sealed class Resolver : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? EmbeddedFonts.BoldFace : EmbeddedFonts.RegularFace);

        public byte[]? GetFont(string faceName) => EmbeddedFonts.Get(faceName);
    }
}
