using System.Text.Json.Nodes;
using VaxCert.Cli.Commands;
using VaxCert.Printing.Scanning;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary><c>vaxcert print</c>: per-person PDFs, a batch PDF per facility, PNGs for phones; unreadable lines reported.</summary>
public sealed class PrintCommandTests
{
    [Fact]
    public void Prints_a_PDF_per_person_a_batch_per_facility_and_phone_PNGs_that_scan_back()
    {
        var dir = RepoPaths.NewTempDir("print-cli");
        var hc1s = new[]
        {
            BorderDeskVerifyTests.Issue(SampleRecords.Create(new Random(1), "HN001")),
            BorderDeskVerifyTests.Issue(SampleRecords.Create(new Random(2), "HN001")),
            BorderDeskVerifyTests.Issue(SampleRecords.Create(new Random(3), "HCM01")),
        };
        var jsonl = Path.Combine(dir, "certificates.jsonl");
        File.WriteAllLines(jsonl, hc1s.Select((h, i) => new JsonObject { ["row"] = i + 2, ["hc1"] = h }.ToJsonString()).Append("{\"hc1\":\"HC1:BROKEN\"}"));
        var outDir = Path.Combine(dir, "printed");
        var log = new StringWriter();

        var exit = PrintRun.Run(new PrintRequest(null, jsonl, outDir, Png: true, Facility: null), BorderDeskVerifyTests.PipeConsole(log));

        Assert.Equal(PrintRun.SomeUnreadable, exit);
        Assert.Contains("not printed line 4", log.ToString());
        Assert.Contains("printed 3 certificate(s) in 2 facility batch(es), 1 unreadable", log.ToString());
        Assert.Equal(3, Directory.GetFiles(outDir, "01_VN_*.pdf").Length);
        Assert.Equal(3, Directory.GetFiles(outDir, "*.png").Length);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
        Assert.True(File.Exists(Path.Combine(outDir, "batch-HN001.pdf")));
        Assert.True(File.Exists(Path.Combine(outDir, "batch-HCM01.pdf")));
        // Each phone PNG holds its person's certificate.
        var scanned = Directory.GetFiles(outDir, "*.png").Select(p => QrImageReader.ReadFile(p).Text).Order(StringComparer.Ordinal);
        Assert.Equal(hc1s.Order(StringComparer.Ordinal), scanned);
    }

    [Fact]
    public void One_HC1_prints_one_PDF_and_no_batch()
    {
        var outDir = Path.Combine(RepoPaths.NewTempDir("print-one"), "out");
        var exit = PrintRun.Run(new PrintRequest(BorderDeskVerifyTests.Issue(SampleRecords.Create(9)), null, outDir, false, null),
            BorderDeskVerifyTests.PipeConsole(new StringWriter()));
        Assert.Equal(PrintRun.AllPrinted, exit);
        Assert.Single(Directory.GetFiles(outDir));
        Assert.EndsWith(".pdf", Directory.GetFiles(outDir)[0]);
    }

    [Fact]
    public void Usage_errors_say_what_is_wrong_in_one_line()
    {
        var log = new StringWriter();
        Assert.Equal(PrintRun.Usage, PrintRun.Run(new PrintRequest(null, null, "out", false, null), BorderDeskVerifyTests.PipeConsole(log)));
        Assert.Equal(PrintRun.Usage, PrintRun.Run(new PrintRequest(null, "/nonexistent/certificates.jsonl", "out", false, null), BorderDeskVerifyTests.PipeConsole(log)));
        Assert.Equal(PrintRun.Usage, PrintRun.Run(new PrintRequest("HC1:NOPE", null, "out", false, null), BorderDeskVerifyTests.PipeConsole(log)));
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("error: give either one HC1 text or --certificates FILE"));
        Assert.Contains(lines, l => l.StartsWith("error: cannot read /nonexistent/certificates.jsonl"));
        Assert.Contains(lines, l => l.StartsWith("error: nothing to print"));
        Assert.DoesNotContain("   at ", log.ToString());
    }

    [Theory]
    [InlineData("URN:UVCI:01:VN:HN001/ABC#Q", "HN001")]
    [InlineData("URN:UVCI:01:VN:79001/R1/X#4", "79001")]
    [InlineData("URN:UVCI:01:VN:NOSLASH#4", "certificates")]
    [InlineData("garbage", "certificates")]
    public void The_batch_facility_comes_from_the_UVCI(string uvci, string facility) => Assert.Equal(facility, PrintRun.FacilityOf(uvci));
}
