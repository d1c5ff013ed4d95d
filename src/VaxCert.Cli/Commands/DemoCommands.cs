using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Core.Chain;
using VaxCert.Core.Decoding;
using VaxCert.Core.Qr;
using VaxCert.Core.Signing;

namespace VaxCert.Cli.Commands;

/// <summary>
/// `vaxcert demo`: the main job end to end on embedded defaults. Each facility export in examples/ is checked and
/// co-signed with that facility's dev key, the ministry issues the good rows with the dev DSC, QR PNGs are written,
/// and every certificate is verified at both levels. It only strings together the commands a real deployment runs.
/// </summary>
public sealed class DemoCommands : ICliModule
{
    public void Register(RootCommand root)
    {
        var examples = new Option<string>("--examples") { Description = "Folder of facility exports (<FACILITY>-*.csv|jsonl)", DefaultValueFactory = _ => "examples" };
        var output = new Option<string>("--out") { Description = "Output folder (recreated)", DefaultValueFactory = _ => "out" };
        var keys = new Option<string>("--keys") { Description = "Development PKI folder", DefaultValueFactory = _ => "keys-dev" };
        var demo = new Command("demo", "Run the whole chain on the examples with the dev keys: co-sign, issue, render QR, verify.") { examples, output, keys };
        demo.SetAction(parse => DemoRun.Run(parse.GetValue(examples)!, parse.GetValue(output)!, parse.GetValue(keys)!, AnsiConsole.Console));
        root.Add(demo);
    }
}

internal static class DemoRun
{
    public static int Run(string examplesDir, string outDir, string keysDir, IAnsiConsole console)
    {
        if (!Directory.Exists(examplesDir) || !File.Exists(Path.Combine(keysDir, "dsc-es256.crt.pem")))
        {
            console.MarkupLine($"[red bold]error[/] needs {Markup.Escape(examplesDir)}/ and {Markup.Escape(keysDir)}/dsc-es256.*.pem (run from the repository root)");
            return 2;
        }
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        var exports = Directory.EnumerateFiles(examplesDir)
            .Where(p => p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();

        console.Write(new Rule("[bold]VaxCert demo[/]: facility co-signs → ministry issues → QR → verify").LeftJustified());
        foreach (var export in exports)
        {
            var facility = Path.GetFileName(export).Split('-')[0];
            var dir = Path.Combine(outDir, facility);
            Directory.CreateDirectory(dir);
            console.MarkupLine($"\n[bold]{Markup.Escape(facility)}[/] export [grey]{Markup.Escape(export)}[/]");
            var facilityCert = Path.Combine(keysDir, "facilities", facility + ".crt.pem");
            var facilityKey = Path.Combine(keysDir, "facilities", facility + ".key.pem");
            FacilitySign.Run(export, Path.Combine(dir, "bundle.jsonl"), Path.Combine(dir, "rejections.csv"), facility,
                () => SoftwareCoseSigner.FromPemFiles(facilityCert, facilityKey), console);
            IssueRun.Run(Path.Combine(dir, "bundle.jsonl"), dir, keysDir, png: true, svg: false,
                () => SoftwareCoseSigner.FromPemFiles(Path.Combine(keysDir, "dsc-es256.crt.pem"), Path.Combine(keysDir, "dsc-es256.key.pem")),
                console);
        }
        return VerifyAll(outDir, keysDir, console);
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
