using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Core.Chain;
using VaxCert.Core.Issuance;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Csv;
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
        var ecc = new Option<QrErrorCorrection>("--ecc")
        {
            Description = "QR error-correction level of the images: L (~7 %), M (~15 %), Q (~25 %, the hcert recommendation), H (~30 %)",
            DefaultValueFactory = _ => QrErrorCorrection.Q,
        };
        var keys = new SignerArguments("key", pemPrefix: "dsc");
        var issue = new Command("issue", ExitCodes.Describe("Verify facility co-signatures and issue HC1 certificates (ministry, local mode).",
            "0 all issued, 1 some refused (see refusals.csv), 2 nothing done (bad arguments, key or trust unusable)")) { bundle, output, trust, png, svg, ecc };
        keys.AddTo(issue);
        issue.SetAction(parse => IssueRun.Run(parse.GetValue(bundle)!, parse.GetValue(output)!, parse.GetValue(trust)!,
            parse.GetValue(png), parse.GetValue(svg), () => keys.Open(parse), AnsiConsole.Console, parse.GetValue(ecc)));
        root.Add(issue);
    }
}

/// <summary>The issue action, separate from parsing so tests can drive it.</summary>
internal static class IssueRun
{
    public const int AllIssued = 0, SomeRefused = 1, Failed = 2;

    /// <param name="ecc">Error-correction level of the QR images (as the gRPC API's IssueOptions.error_correction).</param>
    public static int Run(string bundlePath, string outDir, string trustDir, bool png, bool svg, Func<ICoseSigner> openSigner, IAnsiConsole console,
        QrErrorCorrection ecc = QrErrorCorrection.Q)
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
            using var refusals = new CsvWriter(Path.Combine(outDir, "refusals.csv"), ["line", "row", "record_id", "reason", "message"]);
            long issued = 0, refused = 0;
            var versions = new QrVersionRange();
            var total = File.ReadLines(bundlePath).LongCount();
            ProgressDisplay.Run<int, long>(console, "issuing", total, progress =>
            {
                foreach (var o in new BundleIssuing(issuer).Issue(bundlePath))
                {
                    if (o.Issued)
                    {
                        issued++;
                        Write(o, certificates, attestations, outDir, png, svg, ecc, versions);
                    }
                    else
                    {
                        refused++;
                        refusals.WriteRow([o.Line.ToString(CultureInfo.InvariantCulture), o.Entry?.Row.ToString(CultureInfo.InvariantCulture),
                            o.Entry?.RecordId, o.Reason, o.Result?.Message ?? "not a bundle entry"]);
                    }
                    progress.Report(o.Line);
                }
                return 0;
            });
            refusals.Commit();
            console.MarkupLine($"issued [green]{issued:N0}[/], refused [red]{refused:N0}[/] → {Markup.Escape(outDir)}");
            // The QR version decides the printed size and how hard the code is to scan; encoding costs milliseconds, so
            // it is known only for rendered images (like the gRPC API's qr_version).
            console.MarkupLine(png || svg
                ? $"QR codes: {versions.Describe()} at error-correction level {ecc}"
                : $"QR codes: not rendered (give --png or --svg for images; level {ecc})");
            return refused == 0 ? AllIssued : SomeRefused;
        }
        catch (Exception e) when (e is ArgumentException or IOException or SigningException or UnauthorizedAccessException
                                      or Pkcs11.Pkcs11LookupException or System.Security.Cryptography.CryptographicException)
        {
            CliError.Write(console, e.Message);
            return Failed;
        }
    }

    /// <summary>The file name (without extension) of a certificate's QR image: the UVCI without "URN:UVCI:", separators as '_'.</summary>
    public static string QrFileName(string uvci)
        => uvci.Replace("URN:UVCI:", "", StringComparison.Ordinal).Replace(':', '_').Replace('/', '_').Replace('#', '_');

    private static void Write(BundleLineOutcome o, StreamWriter certificates, StreamWriter attestations, string outDir, bool png, bool svg,
        QrErrorCorrection ecc, QrVersionRange versions)
    {
        var cert = o.Result!.Certificate!;
        certificates.WriteLine(new JsonObject
        {
            ["row"] = o.Entry!.Row, ["record_id"] = o.Entry.RecordId, ["uvci"] = cert.Uvci, ["hc1"] = cert.Hc1,
        }.ToJsonString(CliJson.Line));
        var full = o.Result.FullAttestation!;
        attestations.WriteLine(new JsonObject
        {
            ["uvci"] = cert.Uvci, ["kid"] = Convert.ToBase64String(full.KeyId), ["alg"] = (int)full.Algorithm,
            ["sig"] = Convert.ToBase64String(full.Value),
        }.ToJsonString(CliJson.Line));
        var name = QrFileName(cert.Uvci);
        if (!png && !svg) return;
        var qr = QrRenderer.Render(cert.Hc1, ecc, png, svg);
        versions.Add(qr.Version);
        if (qr.Png is { } pngBytes) File.WriteAllBytes(Path.Combine(outDir, "qr", name + ".png"), pngBytes);
        if (qr.Svg is { } svgText) File.WriteAllText(Path.Combine(outDir, "qr", name + ".svg"), svgText, new UTF8Encoding(false));
    }
}

/// <summary>The smallest and largest QR version of a run, for its summary line.</summary>
internal sealed class QrVersionRange
{
    private int _min = int.MaxValue, _max;

    public void Add(int version)
    {
        _min = Math.Min(_min, version);
        _max = Math.Max(_max, version);
    }

    /// <summary>"version 9", "versions 9-11", or "none" when nothing was rendered.</summary>
    public string Describe() => _max == 0 ? "none" : _min == _max ? $"version {_max}" : $"versions {_min}-{_max}";
}
