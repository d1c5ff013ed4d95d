using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Chain;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>CSV → facility sign → issue → both levels verify, through the CLI actions with the committed dev keys.</summary>
public sealed class FacilityChainEndToEndTests
{
    private const string GoodCccd = "001187012345"; // Hà Nội, female born 1987
    private static readonly string Keys = RepoPaths.KeysDev;

    private static readonly string Csv =
        "record_id,citizen_id,sex,family_name,given_name,date_of_birth,nationality,targeted_disease,total_doses,date_of_vaccination,dose_number,vaccine_type,vaccine_product,manufacturer,passport_number\n" +
        $"R1,{GoodCccd},Nữ,Nguyễn,Thị Minh Khai,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215,\n" +
        "R2,079090001234,M,\"Trần\",Văn An,1990-01-02,VN,840539006,2,2021-09-01,1,1119349007,EU/1/20/1528,ORG-100030215,\n" +
        "R3,07909000123X,F,Lê,Lan,1990-01-02,VN,,2,2021-09-01,1,1119349007,EU/1/20/1528,ORG-100030215,\n" +
        // A foreign national: no CCCD/CMND, identified by passport number (issue 14).
        "R4,,F,Phạm,Hà,1975,KR,,2,2021-09-01,1,1119349007,EU/1/20/1528,ORG-100030215,M12345678\n";

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private static ICoseSigner Facility() => SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.FacilityCertificate("HN001")),
        Path.Combine(Keys, DevPkiLayout.FacilityKey("HN001")));

    private static ICoseSigner Dsc() => SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.DscEs256Certificate),
        Path.Combine(Keys, DevPkiLayout.DscEs256Key));

    private static (string Dir, string Bundle, string Report) SignExport(out int exit, out string log)
    {
        var dir = RepoPaths.NewTempDir("facility-e2e");
        var csv = Path.Combine(dir, "export.csv");
        File.WriteAllText(csv, Csv);
        var bundle = Path.Combine(dir, "bundle.jsonl");
        var report = Path.Combine(dir, "rejections.csv");
        var w = new StringWriter();
        exit = FacilitySign.Run(csv, bundle, report, "HN001", Facility, Console(w));
        log = w.ToString();
        return (dir, bundle, report);
    }

    [Fact]
    public void A_csv_export_is_co_signed_issued_and_verifies_at_both_levels_and_with_the_EU_peer()
    {
        var (dir, bundle, report) = SignExport(out var exit, out var log);
        Assert.Equal(FacilitySign.SomeRejected, exit);
        Assert.Equal(3, File.ReadAllLines(bundle).Length);
        var rejections = File.ReadAllLines(report);
        Assert.Equal(2, rejections.Length); // header + the malformed CCCD row
        Assert.StartsWith("3,R3,citizen_id,InvalidFormat,", rejections[1].TrimStart('\uFEFF'));

        var outDir = Path.Combine(dir, "issued");
        Assert.Equal(IssueRun.AllIssued, IssueRun.Run(bundle, outDir, Keys, png: true, svg: false, Dsc, Console(new StringWriter())));
        var hc1s = File.ReadAllLines(Path.Combine(outDir, "certificates.jsonl"))
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["hc1"]!.GetValue<string>()).ToList();
        Assert.Equal(3, hc1s.Count);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(outDir, "qr"), "*.png").Length);

        using var dsc = Dsc();
        var verifier = new TwoLevelVerifier([X509CertificateLoader.LoadCertificate(dsc.Certificate.RawData)],
            new FacilityAttestationVerifier(FacilityTrust.LoadDirectory(Keys)));
        foreach (var hc1 in hc1s)
        {
            Assert.Equal(new ChainVerification(ChainLevel.None, null, FacilityCheck.Valid), verifier.Verify(hc1, DateTimeOffset.UtcNow));
            Assert.True(DccPeer.Verify(hc1, dsc.Certificate.ExportCertificatePem()).Valid);
        }
        // The identity number never leaves the export.
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("export.csv")))
        {
            Assert.DoesNotContain(GoodCccd, File.ReadAllText(file));
            Assert.DoesNotContain("M12345678", File.ReadAllText(file));
        }
        Assert.DoesNotContain(GoodCccd, log);
        // The foreign national's certificate carries Decision 5772's nationality field.
        Assert.Contains(hc1s, h => VaxCert.Core.Decoding.Hc1Decoder.Decode(h).Claims?.Nationality == "KR");
    }

    [Fact]
    public void A_rerun_after_a_torn_write_skips_signed_rows_and_drops_the_half_line()
    {
        var (dir, bundle, report) = SignExport(out _, out _);
        var complete = File.ReadAllLines(bundle);
        var lastComplete = File.ReadAllText(bundle);
        // What kill -9 in the middle of a batch write leaves: the start of a line, no newline.
        File.AppendAllText(bundle, complete[0][..40]);
        var w = new StringWriter();
        Assert.Equal(FacilitySign.SomeRejected, FacilitySign.Run(Path.Combine(dir, "export.csv"), bundle, report, "HN001", Facility, Console(w)));
        Assert.Equal(lastComplete, File.ReadAllText(bundle));
        Assert.Contains("already signed 3", w.ToString());
    }

    [Fact]
    public void A_record_edited_in_the_bundle_after_signing_is_refused_by_the_ministry()
    {
        var (dir, bundle, _) = SignExport(out _, out _);
        var lines = File.ReadAllLines(bundle);
        lines[0] = lines[0].Replace("\"dn\":2", "\"dn\":1", StringComparison.Ordinal);
        File.WriteAllLines(bundle, lines.Append("{not json"));
        var outDir = Path.Combine(dir, "issued");
        Assert.Equal(IssueRun.SomeRefused, IssueRun.Run(bundle, outDir, Keys, false, false, Dsc, Console(new StringWriter())));
        var refusals = File.ReadAllLines(Path.Combine(outDir, "refusals.csv"));
        Assert.Contains(refusals, l => l.StartsWith("1,1,R1,RecordChangedAfterSigning", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.StartsWith("4,,", StringComparison.Ordinal) && l.Contains("MalformedLine"));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outDir, "certificates.jsonl")).Length);
    }

    [Fact]
    public void A_key_of_another_facility_is_refused_before_any_row_is_signed()
    {
        var dir = RepoPaths.NewTempDir("facility-e2e");
        File.WriteAllText(Path.Combine(dir, "export.csv"), Csv);
        var w = new StringWriter();
        Assert.Equal(FacilitySign.Failed, FacilitySign.Run(Path.Combine(dir, "export.csv"), Path.Combine(dir, "b.jsonl"),
            Path.Combine(dir, "r.csv"), "HCM01", Facility, Console(w)));
        Assert.Contains("not 'HCM01'", w.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "b.jsonl"))); // checked before the bundle is created
    }
}
