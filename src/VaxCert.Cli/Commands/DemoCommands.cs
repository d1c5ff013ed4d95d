using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Core.Chain;
using VaxCert.Core.Decoding;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Facility;
using VaxCert.Issuing.Qr;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;

namespace VaxCert.Cli.Commands;

/// <summary>
/// `vaxcert demo`: the main job end to end on embedded defaults. Each facility export in examples/ is checked and
/// co-signed with that facility's dev key; the ministry's issuance service (the one behind the gRPC server) issues the
/// good rows with the dev DSC into a SQLite ledger, exactly once; QR PNGs are written; every certificate is verified at
/// both levels; the audit chain is checked. It only strings together what a real deployment runs.
/// </summary>
public sealed class DemoCommands : ICliModule
{
    public void Register(RootCommand root)
    {
        var examples = new Option<string>("--examples") { Description = "Folder of facility exports (<FACILITY>-*.csv|jsonl)", DefaultValueFactory = _ => "examples" };
        var output = new Option<string>("--out") { Description = "Output folder; a run replaces only its own files there (ledger.db and one folder per facility)", DefaultValueFactory = _ => "out" };
        var keys = new Option<string>("--keys") { Description = "Development PKI folder", DefaultValueFactory = _ => "keys-dev" };
        var demo = new Command("demo", ExitCodes.Describe("Run the whole chain on the examples with the dev keys: co-sign, issue, render QR, verify.",
            "0 every certificate verified at both levels and the audit chain is intact, 1 a certificate failed or the chain is broken, 2 examples or keys not found")) { examples, output, keys };
        demo.SetAction((parse, ct) => DemoRun.RunAsync(parse.GetValue(examples)!, parse.GetValue(output)!, parse.GetValue(keys)!, AnsiConsole.Console, ct));
        root.Add(demo);
    }
}

internal static class DemoRun
{
    public static async Task<int> RunAsync(string examplesDir, string outDir, string keysDir, IAnsiConsole console, CancellationToken ct)
    {
        if (!Directory.Exists(examplesDir) || !File.Exists(Path.Combine(keysDir, "dsc-es256.crt.pem")))
        {
            return CliError.Fail(console, $"needs {examplesDir}/ and {keysDir}/dsc-es256.*.pem (run from the repository root)", 2);
        }
        var exports = Directory.EnumerateFiles(examplesDir)
            .Where(p => p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        ClearPreviousRun(outDir, exports.Select(FacilityOf));

        // A rule spans the console width: on a terminal that is the window, in a pipe it would be thousands of dashes.
        if (console.Profile.Capabilities.Interactive)
            console.Write(new Rule("[bold]VaxCert demo[/]: facility co-signs → ministry issues → QR → verify").LeftJustified());
        else
            console.MarkupLine("[bold]VaxCert demo[/]: facility co-signs → ministry issues → QR → verify");
        var ledgerSpec = LedgerSpec.Parse("sqlite:" + Path.Combine(outDir, DemoLedgerFile));
        await using var service = await CertificateIssuanceService.CreateDevelopmentAsync(keysDir, ledgerSpec, cancellationToken: ct);
        var bundles = new List<string>();
        foreach (var export in exports)
        {
            var facility = FacilityOf(export);
            var dir = Path.Combine(outDir, facility);
            Directory.CreateDirectory(Path.Combine(dir, "qr"));
            console.MarkupLine($"\n[bold]{Markup.Escape(facility)}[/] export [grey]{Markup.Escape(export)}[/]");
            var facilityCert = Path.Combine(keysDir, "facilities", facility + ".crt.pem");
            var facilityKey = Path.Combine(keysDir, "facilities", facility + ".key.pem");
            var bundle = Path.Combine(dir, "bundle.jsonl");
            FacilitySign.Run(export, bundle, Path.Combine(dir, "rejections.csv"), facility,
                () => SoftwareCoseSigner.FromPemFiles(facilityCert, facilityKey), console);
            var (issued, replayed, refused) = await IssueBundleAsync(service, bundle, dir, ct);
            console.MarkupLine($"ministry: issued [green]{issued}[/], refused [red]{refused}[/]" + (replayed > 0 ? $", already issued {replayed}" : ""));
            bundles.Add(bundle);
        }

        // Resubmitting is safe: the ledger returns the certificates already issued instead of signing again.
        var again = 0;
        foreach (var bundle in bundles)
            again += (await IssueBundleAsync(service, bundle, null, ct)).Replayed;
        console.MarkupLine($"\nresubmitted every bundle: [bold]{again}[/] already issued, none signed twice (ledger {Markup.Escape(ledgerSpec.Describe())})");
        var audit = await service.Ledger.VerifyAuditChainAsync(cancellationToken: ct);
        console.MarkupLine($"audit chain: {(audit.Intact ? "[green]intact[/]" : "[red]BROKEN[/]")} ({audit.EntriesChecked} entries)");
        var verified = VerifyAll(outDir, keysDir, console);
        return verified == 0 && audit.Intact ? 0 : 1;
    }

    /// <summary>The facility code an example export is named after: HN001-2021.csv → HN001.</summary>
    private static string FacilityOf(string export) => Path.GetFileName(export).Split('-')[0];

    /// <summary>
    /// Removes only what an earlier demo wrote (its ledger and the per-facility folders), so a run starts afresh without
    /// touching anything else under the output folder (out/ also holds test results, printed PDFs, a server's files).
    /// </summary>
    internal static void ClearPreviousRun(string outDir, IEnumerable<string> facilities)
    {
        Directory.CreateDirectory(outDir);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            File.Delete(Path.Combine(outDir, DemoLedgerFile + suffix));
        // Only names that are facility codes (A-Z, 0-9): never "..", a path, or a folder the demo did not make.
        foreach (var facility in facilities.Distinct(StringComparer.Ordinal).Where(Core.Uvci.UvciFormat.IsSegment))
        {
            var dir = Path.Combine(outDir, facility);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The demo's SQLite ledger, in the output folder.</summary>
    internal const string DemoLedgerFile = "ledger.db";

    private static async Task<(int Issued, int Replayed, int Refused)> IssueBundleAsync(CertificateIssuanceService service, string bundle,
        string? outDir, CancellationToken ct)
    {
        int issued = 0, replayed = 0, refused = 0;
        await using var certificates = outDir is null ? null : new StreamWriter(Path.Combine(outDir, "certificates.jsonl"));
        foreach (var line in File.ReadLines(bundle))
        {
            if (BundleEntry.TryParse(line) is not { } entry) { refused++; continue; }
            var outcome = await service.IssueAsync(new CoSignedRecord(entry.Facility, entry.RecordId, entry.Record, entry.Attestation), ct);
            if (outcome.Certificate is not { } cert) { refused++; continue; }
            if (cert.AlreadyIssued) replayed++; else issued++;
            if (certificates is null) continue;
            await certificates.WriteLineAsync(new JsonObject { ["record_id"] = entry.RecordId, ["uvci"] = cert.Uvci, ["hc1"] = cert.Hc1 }.ToJsonString(CliJson.Line));
            await File.WriteAllBytesAsync(Path.Combine(outDir!, "qr", IssueRun.QrFileName(cert.Uvci) + ".png"), QrRenderer.RenderPng(cert.Hc1).Content, ct);
        }
        return (issued, replayed, refused);
    }

    // Reads back every issued HC1 and checks both levels as a verifier holding the trust material would.
    private static int VerifyAll(string outDir, string keysDir, IAnsiConsole console)
    {
        var dscs = Directory.EnumerateFiles(keysDir, "dsc-*.crt.pem").Select(p => X509Certificate2.CreateFromPem(File.ReadAllText(p))).ToList();
        var verifier = new TwoLevelVerifier(dscs, new FacilityAttestationVerifier(FacilityTrust.LoadDirectory(keysDir)));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Name (ICAO)", "Vaccine", "Dose", "UVCI", "QR", "Verified");
        int valid = 0, invalid = 0;
        foreach (var file in Directory.EnumerateFiles(outDir, "certificates.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                var hc1 = JsonNode.Parse(line)!["hc1"]!.GetValue<string>();
                var decoded = Hc1Decoder.Decode(hc1);
                var v = decoded.Dcc?["v"]?[0];
                var nam = decoded.Dcc?["nam"];
                var check = verifier.Verify(hc1, DateTimeOffset.UtcNow);
                if (check.IsValid) valid++; else invalid++;
                table.AddRow(
                    Markup.Escape($"{nam?["fnt"]} {nam?["gnt"]}".Trim()),
                    Markup.Escape(Core.Dcc.ValueSets.Default.DisplayName(Core.Dcc.ValueSetIds.VaccineMedicinalProduct, v?["mp"]?.ToString()) ?? v?["mp"]?.ToString() ?? ""),
                    $"{v?["dn"]}/{v?["sd"]}",
                    Markup.Escape(v?["ci"]?.ToString() ?? ""),
                    $"v{QrRenderer.VersionFor(hc1)}",
                    check.IsValid ? "[green]both levels[/]" : $"[red]{check.FailedLevel}: {Markup.Escape(check.MinistryProblem ?? check.Facility.ToString())}[/]");
            }
        }
        console.WriteLine();
        console.Write(table);
        console.MarkupLine($"\n[bold]{valid}[/] certificate(s) verified at both levels, [bold]{invalid}[/] failed. " +
                           $"QR images: {Markup.Escape(Path.Combine(outDir, "<facility>", "qr"))}; refusals and rejections are in the same folders.");
        return invalid == 0 && valid > 0 ? 0 : 1;
    }
}
