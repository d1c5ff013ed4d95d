using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Core.Chain;
using VaxCert.Core.Issuance;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Facility;
using VaxCert.Issuing.Qr;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert issue --bundle bundle.jsonl --out DIR [--dsc-cert C --dsc-key K | --token T --key K ...] [--facility-trust DIR]
/// [--png] [--svg]</c>: the ministry, local mode. Writes DIR/certificates.jsonl (uvci, hc1), DIR/attestations.jsonl (full
/// facility attestations, for digest-form QRs), DIR/refusals.csv and QR images. Exit codes: 0 all issued, 1 some refused,
/// 2 nothing could be done.
/// </summary>
public sealed class IssueCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var bundle = new Option<string>("--bundle") { Description = "Signed bundle from 'vaxcert facility sign'", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var trust = new Option<string>("--facility-trust")
        {
            Description = "Folder with facility-ca.crt.pem, facilities/*.crt.pem, facility-revoked.txt", DefaultValueFactory = _ => "keys-dev",
        };
        var png = new Option<bool>("--png") { Description = "Write a PNG QR code per certificate" };
        var svg = new Option<bool>("--svg") { Description = "Write an SVG QR code per certificate" };
        var keys = new SignerArguments("key", pemPrefix: "dsc");
        var issue = new Command("issue", "Verify facility co-signatures and issue HC1 certificates (ministry, local mode).") { bundle, output, trust, png, svg };
        keys.AddTo(issue);
        issue.SetAction(parse => IssueRun.Run(parse.GetValue(bundle)!, parse.GetValue(output)!, parse.GetValue(trust)!,
            parse.GetValue(png), parse.GetValue(svg), () => keys.Open(parse), AnsiConsole.Console));
        root.Add(issue);
    }
}

/// <summary>The issue action, separate from parsing so tests can drive it.</summary>
internal static class IssueRun
{
    public const int AllIssued = 0, SomeRefused = 1, Failed = 2;

    public static int Run(string bundlePath, string outDir, string trustDir, bool png, bool svg, Func<ICoseSigner> openSigner, IAnsiConsole console)
    {
        try
        {
            var trust = FacilityTrust.LoadDirectory(trustDir);
            using var signer = openSigner();
            var issuer = new ChainIssuer(Hc1Issuer.Create(signer), new FacilityAttestationVerifier(trust));
            Directory.CreateDirectory(outDir);
            if (png || svg) Directory.CreateDirectory(Path.Combine(outDir, "qr"));
            using var certificates = new StreamWriter(Path.Combine(outDir, "certificates.jsonl"), false, new UTF8Encoding(false));
            using var attestations = new StreamWriter(Path.Combine(outDir, "attestations.jsonl"), false, new UTF8Encoding(false));
            var refusals = new StringBuilder("line,row,record_id,reason,message\n");
            long issued = 0, refused = 0;
            var total = File.ReadLines(bundlePath).LongCount();
            ProgressDisplay.Run<int, long>(console, "issuing", total, progress =>
            {
                foreach (var o in new BundleIssuing(issuer).Issue(bundlePath))
                {
                    if (o.Issued)
                    {
                        issued++;
                        Write(o, certificates, attestations, outDir, png, svg);
                    }
                    else
                    {
                        refused++;
                        refusals.Append($"{o.Line},{o.Entry?.Row},\"{o.Entry?.RecordId.Replace("\"", "\"\"")}\",{o.Reason},\"{(o.Result?.Message ?? "not a bundle entry").Replace("\"", "\"\"")}\"\n");
                    }
                    progress.Report(o.Line);
                }
                return 0;
            });
            File.WriteAllText(Path.Combine(outDir, "refusals.csv"), refusals.ToString(), new UTF8Encoding(true));
            console.MarkupLine($"issued [green]{issued:N0}[/], refused [red]{refused:N0}[/] → {Markup.Escape(outDir)}");
            return refused == 0 ? AllIssued : SomeRefused;
        }
        catch (Exception e) when (e is ArgumentException or IOException or SigningException or UnauthorizedAccessException
                                      or Pkcs11.Pkcs11LookupException or System.Security.Cryptography.CryptographicException)
        {
            console.MarkupLine($"[red bold]error[/] {Markup.Escape(e.Message)}");
            return Failed;
        }
    }

    /// <summary>The file name (without extension) of a certificate's QR image: the UVCI without "URN:UVCI:", separators as '_'.</summary>
    public static string QrFileName(string uvci)
        => uvci.Replace("URN:UVCI:", "", StringComparison.Ordinal).Replace(':', '_').Replace('/', '_').Replace('#', '_');

    private static void Write(BundleLineOutcome o, StreamWriter certificates, StreamWriter attestations, string outDir, bool png, bool svg)
    {
        var cert = o.Result!.Certificate!;
        certificates.WriteLine(new JsonObject
        {
            ["row"] = o.Entry!.Row, ["record_id"] = o.Entry.RecordId, ["uvci"] = cert.Uvci, ["hc1"] = cert.Hc1,
        }.ToJsonString());
        var full = o.Result.FullAttestation!;
        attestations.WriteLine(new JsonObject
        {
            ["uvci"] = cert.Uvci, ["kid"] = Convert.ToBase64String(full.KeyId), ["alg"] = (int)full.Algorithm,
            ["sig"] = Convert.ToBase64String(full.Value),
        }.ToJsonString());
        var name = QrFileName(cert.Uvci);
        if (png) File.WriteAllBytes(Path.Combine(outDir, "qr", name + ".png"), QrRenderer.RenderPng(cert.Hc1).Content);
        if (svg) File.WriteAllBytes(Path.Combine(outDir, "qr", name + ".svg"), QrRenderer.RenderSvg(cert.Hc1).Content);
    }
}
