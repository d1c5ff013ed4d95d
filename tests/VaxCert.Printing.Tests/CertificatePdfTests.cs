using System.Text;
using VaxCert.Testing;

namespace VaxCert.Printing.Tests;

/// <summary>The printed certificate, read back the way a person and a scanner would: poppler renders it, zbarimg scans it.</summary>
public sealed class CertificatePdfTests
{
    [Fact]
    public void A_printed_page_scans_back_to_the_exact_HC1_and_shows_the_Vietnamese_name_with_diacritics()
    {
        var hc1 = IssuedSamples.Issue(IssuedSamples.Khai());
        var certificate = PrintableCertificate.TryRead(hc1, out _)!;
        var dir = RepoPaths.NewTempDir("print-pdf");
        var pdf = Path.Combine(dir, "khai.pdf");
        File.WriteAllBytes(pdf, CertificatePdf.Render(certificate));

        var pages = Poppler.PagesToPng(pdf, dpi: 200);
        Assert.Single(pages);
        Assert.Equal(hc1, Zbar.Decode(pages[0]));

        var text = Poppler.Text(pdf).Normalize(NormalizationForm.FormC);
        Assert.Contains("Nguyễn Thị Minh Khai", text);
        Assert.Contains("NGUYEN<<THI<MINH<KHAI", text);
        Assert.Contains("GIẤY CHỨNG NHẬN TIÊM CHỦNG COVID-19", text);
        Assert.Contains("Comirnaty", text);
        Assert.Contains("Pfizer/BioNTech", text);
        Assert.Contains("Vắc xin mRNA SARS-CoV-2", text);
        Assert.Contains(certificate.Record.CertificateId, text);
        Assert.Contains("2026-06-01", text); // issued
        Assert.Contains("2027-06-01", text); // 12 months later
        // Codes never reach the paper.
        Assert.DoesNotContain("EU/1/20/1528", text);
        Assert.DoesNotContain("ORG-100030215", text);
        Assert.DoesNotContain("840539006", text);
    }

    [Fact]
    public void The_fonts_are_embedded_so_the_page_prints_the_same_everywhere()
    {
        var pdf = Path.Combine(RepoPaths.NewTempDir("print-fonts"), "c.pdf");
        File.WriteAllBytes(pdf, CertificatePdf.Render(IssuedSamples.Printable(IssuedSamples.Khai())));
        var fonts = Poppler.Fonts(pdf).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, line =>
        {
            Assert.Contains("DejaVu Sans", line);
            // pdffonts columns: name type encoding emb sub uni object ID; "emb" must be yes.
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("yes", columns[^5]);
        });
    }

    [Fact]
    public void Letters_with_two_marks_keep_both_marks_on_the_page()
    {
        // PDFsharp's font subsetting dropped mark glyphs of composite letters (ằ printed as à, ế as e), so the fonts are
        // embedded whole. The same name with ằ and with à: a lost breve would give exactly the same ink left of the QR.
        var dir = RepoPaths.NewTempDir("print-marks");
        double InkLeftOfQr(string family, string given, string file)
        {
            var pdf = Path.Combine(dir, file);
            File.WriteAllBytes(pdf, CertificatePdf.Render(IssuedSamples.Printable(IssuedSamples.Khai() with { FamilyName = family, GivenName = given })));
            var page = Imaging.PngCodec.TryDecode(File.ReadAllBytes(Poppler.PagesToPng(pdf, dpi: 100)[0]), out _)!;
            var qrLeft = (int)(page.Width * 0.6); // the QR starts at about 65 % of the page width
            long ink = 0;
            for (var y = 0; y < page.Height; y++)
                for (var x = 0; x < qrLeft; x++) ink += 255 - page[x, y];
            return ink;
        }
        Assert.True(InkLeftOfQr("Bằng", "Hằng", "marked.pdf") > InkLeftOfQr("Bàng", "Hàng", "plain.pdf"),
            "the breve of ằ is missing from the printed page");
    }

    [Fact]
    public void A_facility_batch_has_one_page_per_person_each_scanning_to_its_own_HC1()
    {
        var hc1s = Enumerable.Range(1, 3).Select(seed => IssuedSamples.Issue(SampleRecords.Create(seed))).ToList();
        var certificates = hc1s.Select(h => PrintableCertificate.TryRead(h, out _)!).ToList();
        var dir = RepoPaths.NewTempDir("print-batch");
        var pdf = Path.Combine(dir, "batch.pdf");
        File.WriteAllBytes(pdf, CertificatePdf.Render(certificates, "HN001"));

        var pages = Poppler.PagesToPng(pdf, dpi: 150);
        Assert.Equal(3, pages.Count);
        for (var i = 0; i < 3; i++) Assert.Equal(hc1s[i], Zbar.Decode(pages[i]));
        var text = Poppler.Text(pdf).Normalize(NormalizationForm.FormC);
        Assert.Contains("HN001 · 3/3", text);
        foreach (var c in certificates) Assert.Contains(c.Record.FullName, text);
    }

    [Fact]
    public void Text_that_is_not_a_certificate_is_refused_with_a_reason_not_an_exception()
    {
        Assert.Null(PrintableCertificate.TryRead("HC1:not base45 at all", out var problem));
        Assert.Contains("Base45", problem);
        Assert.Null(PrintableCertificate.TryRead("", out problem));
        Assert.NotNull(problem);
    }
}
