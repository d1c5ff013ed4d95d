using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;
using VaxCert.Issuing.Facility;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert facility sign --input export.csv|.jsonl --out bundle.jsonl --facility-code C (--token T --key K [--module M]
/// [--pin-env V|--pin-file F] | --cert-pem C --key-pem K)</c>. Exit codes: 0 all rows signed, 1 some rows rejected
/// (see the report), 2 nothing could be done (bad arguments, key unusable, bundle not appendable).
/// </summary>
public sealed class FacilityCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var input = new Option<string>("--input") { Description = "Facility export (.csv with header, or .jsonl)", Required = true };
        var output = new Option<string>("--out") { Description = "Signed bundle (JSON lines); appended to and resumed", Required = true };
        var report = new Option<string?>("--rejections") { Description = "Rejection report CSV (default: <out>.rejections.csv)" };
        var code = new Option<string>("--facility-code") { Description = "Facility code (must match the certificate)", Required = true };
        var keys = new SignerArguments("key");
        var sign = new Command("sign", ExitCodes.Describe("Check each export row and co-sign the good ones with the facility key.",
            "0 all rows signed, 1 some rows rejected (see the rejection report), 2 nothing done (bad arguments, key unusable, export unreadable)")) { input, output, report, code };
        keys.AddTo(sign);
        sign.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            return FacilitySign.Run(parse.GetValue(input)!, outPath, parse.GetValue(report) ?? outPath + ".rejections.csv",
                parse.GetValue(code)!, () => keys.Open(parse), AnsiConsole.Console);
        });
        root.Add(new Command("facility", "Vaccination facility tools.") { sign });
    }
}

/// <summary>Options choosing a signing key: a PKCS#11 token key or software PEM files (dev). PINs never come from arguments.</summary>
internal sealed class SignerArguments
{
    private readonly Option<string?> _token = new("--token") { Description = "PKCS#11 token label" };
    private readonly Option<string?> _key;
    private readonly Option<string?> _module = new("--module") { Description = $"PKCS#11 module (default: ${Pkcs11Module.ModulePathVariable} or SoftHSM2)" };
    private readonly Option<string?> _pinEnv = new("--pin-env") { Description = "Environment variable holding the user PIN" };
    private readonly Option<string?> _pinFile = new("--pin-file") { Description = "File holding the user PIN" };
    private readonly Option<string?> _certPem;
    private readonly Option<string?> _keyPem;

    /// <param name="keyOption">Name of the token key label option ("key" → --key).</param>
    /// <param name="pemPrefix">Prefix of the PEM options ("" → --cert-pem/--key-pem, "dsc" → --dsc-cert/--dsc-key).</param>
    public SignerArguments(string keyOption, string? pemPrefix = null)
    {
        _key = new Option<string?>("--" + keyOption) { Description = "Key label on the token" };
        _certPem = new Option<string?>(pemPrefix is null ? "--cert-pem" : $"--{pemPrefix}-cert") { Description = "Certificate PEM (software key, dev only)" };
        _keyPem = new Option<string?>(pemPrefix is null ? "--key-pem" : $"--{pemPrefix}-key") { Description = "Private key PEM (software key, dev only)" };
    }

    public void AddTo(Command command)
    {
        foreach (var o in new[] { _token, _key, _module, _pinEnv, _pinFile, _certPem, _keyPem }) command.Add(o);
    }

    /// <summary>Opens the chosen signer; throws ArgumentException for a bad choice, SigningException/Pkcs11 errors for an unusable key.</summary>
    public ICoseSigner Open(ParseResult parse)
    {
        var certPem = parse.GetValue(_certPem);
        var keyPem = parse.GetValue(_keyPem);
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null) throw new ArgumentException($"{_certPem.Name} and {_keyPem.Name} go together");
            return SoftwareCoseSigner.FromPemFiles(certPem, keyPem);
        }
        var token = parse.GetValue(_token) ?? throw new ArgumentException($"give --token and {_key.Name}, or {_certPem.Name} and {_keyPem.Name}");
        var key = parse.GetValue(_key) ?? throw new ArgumentException($"{_key.Name} is required with --token");
        var pin = parse.GetValue(_pinEnv) is { } env ? PinSource.FromEnvironment(env)
            : parse.GetValue(_pinFile) is { } file ? PinSource.FromFile(file)
            : PinSource.Interactive();
        return Pkcs11CoseSigner.Open(new Pkcs11SignerOptions
        {
            ModulePath = parse.GetValue(_module),
            Token = new TokenSelector(token),
            Key = new KeySelector(key),
            Pin = pin,
        });
    }
}

/// <summary>The sign action, separate from parsing so tests can drive it with any console.</summary>
internal static class FacilitySign
{
    public const int AllSigned = 0, SomeRejected = 1, Failed = 2;

    /// <summary>
    /// Checks everything that can fail as a whole before touching the bundle: the facility code, the export (exists, header
    /// names every column), the key and its certificate's facility. Only then is the bundle opened (created), so a refused
    /// run leaves no empty bundle. Every failure is one "error: ..." line and exit 2.
    /// </summary>
    public static int Run(string input, string output, string reportPath, string facilityCode, Func<ICoseSigner> openSigner, IAnsiConsole console)
    {
        try
        {
            if (!UvciFormat.IsSegment(facilityCode)) throw new ArgumentException("the facility code must hold only A-Z and 0-9");
            var export = ExportFile.Open(input);
            if (export.Problem is { } problem) return Error(console, problem.MessageEn);
            using var signer = openSigner();
            var settings = IssuerSettings.Default;
            var checker = new RowChecker(facilityCode, RecordValidator.CreateDefault(), new DeterministicUvci(settings.Country));
            var run = new FacilitySigningRun(signer, facilityCode, checker, settings);
            run.EnsureCertificateMatchesFacility();
            var total = export.CountRows();
            using var journal = BundleJournal.Open(output);
            if (journal.RepairedTornLine) console.MarkupLine("[yellow]note:[/] dropped an incomplete last line left by an interrupted run");
            using var report = new RejectionReport(reportPath);
            var summary = ProgressDisplay.Run<SigningSummary, SigningProgress>(console, "signing rows", total,
                p => run.Run(export.ReadRows(), total, journal, report.Add, p));
            report.Commit();
            console.MarkupLine($"rows {summary.Rows:N0}: signed [green]{summary.Signed:N0}[/], already signed {summary.AlreadySigned:N0}, " +
                               $"rejected [red]{summary.Rejected:N0}[/] (report: {Markup.Escape(reportPath)})");
            return summary.Rejected == 0 ? AllSigned : SomeRejected;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or SigningException
                                      or UnauthorizedAccessException or Pkcs11LookupException or System.Security.Cryptography.CryptographicException)
        {
            return Error(console, e.Message);
        }
    }

    private static int Error(IAnsiConsole console, string message)
    {
        CliError.Write(console, message);
        return Failed;
    }
}

/// <summary>A Spectre progress bar with rate and ETA on a terminal; plain progress lines when output is redirected.</summary>
internal static class ProgressDisplay
{
    public static T Run<T, TProgress>(IAnsiConsole console, string label, long total, Func<IProgress<TProgress>, T> work)
        where TProgress : struct
    {
        if (Console.IsOutputRedirected || !console.Profile.Capabilities.Interactive)
        {
            var sw = Stopwatch.StartNew();
            var last = TimeSpan.Zero;
            return work(new SyncProgress<TProgress>(p =>
            {
                if (sw.Elapsed - last < TimeSpan.FromSeconds(2)) return;
                last = sw.Elapsed;
                var done = Done(p);
                var rate = done / Math.Max(sw.Elapsed.TotalSeconds, 1e-3);
                var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
                console.WriteLine($"{label}: {done:N0}/{total:N0} rows, {rate:N0} rows/s, ETA {eta:hh\\:mm\\:ss}");
            }));
        }
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedlessRateColumn(),
                new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: Math.Max(total, 1));
                var result = work(new SyncProgress<TProgress>(p => task.Value = Done(p)));
                task.Value = task.MaxValue;
                return result;
            });
    }

    private static long Done<TProgress>(TProgress p) => p switch
    {
        SigningProgress s => s.Done,
        long l => l,
        _ => 0,
    };

    // Progress<T> posts to the thread pool; this one reports inline so the last report is never lost.
    private sealed class SyncProgress<TP>(Action<TP> report) : IProgress<TP>
    {
        public void Report(TP value) => report(value);
    }

    // Rows per second for a Spectre task.
    private sealed class TransferSpeedlessRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s ? $"{s:N0} rows/s" : "");
    }
}

/// <summary>
/// The facility level for <c>vaxcert verify --facility-trust DIR [--require-co-signature]</c>: builds the verifier's
/// <see cref="VaxCert.Verifier.Checks.FacilityCoSignatureCheck"/> and explains a facility-level failure.
/// </summary>
internal static class FacilityVerifyLevel
{
    /// <summary>The check over a keys-dev style folder, or null when no folder is given. Throws IOException/CryptographicException for unreadable trust.</summary>
    public static VaxCert.Verifier.Checks.FacilityCoSignatureCheck? Load(string? trustDir, bool require)
    {
        if (trustDir is null)
        {
            if (require) throw new ArgumentException("--require-co-signature needs --facility-trust DIR");
            return null;
        }
        if (!Directory.Exists(trustDir)) throw new DirectoryNotFoundException($"facility trust folder '{trustDir}' not found");
        return new VaxCert.Verifier.Checks.FacilityCoSignatureCheck(
            new VaxCert.Core.Chain.FacilityAttestationVerifier(VaxCert.Core.Chain.FacilityTrust.LoadDirectory(trustDir)), require);
    }

    /// <summary>"Facility", "Ministry" or "None", plus the facility verdict (e.g. FacilityCodeMismatch) when the facility level was checked.</summary>
    public static (string Level, string? FacilityVerdict) Describe(VaxCert.Verifier.VerificationResult result,
        VaxCert.Verifier.Checks.FacilityCoSignatureCheck? check, string qrText)
    {
        var level = VaxCert.Verifier.Checks.ChainLevelReader.FailedLevel(result).ToString();
        if (check is null || result[VaxCert.Verifier.VerificationStage.Additional].Status == VaxCert.Verifier.StageStatus.NotRun)
            return (level, null);
        var decoded = VaxCert.Core.Decoding.Hc1Decoder.Decode(qrText);
        return (level, decoded.Claims is { } claims ? check.Inspect(claims, result.CheckedAt).ToString() : null);
    }
}
