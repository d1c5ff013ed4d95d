using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using VaxCert.Core.Bundle;
using VaxCert.Core.Chain;
using VaxCert.Core.Encoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Bundle;
using VaxCert.Issuing.Revocation;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Issuance;
using VaxCert.Verifier;
using VaxCert.Verifier.Bundle;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Trust;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert bundle build</c> (issuer side: DSCs, facility trust, the ledger's revocations as EU hashes, value sets and
/// rules in one signed .vxb file, optionally a delta against the previous one) and <c>vaxcert bundle verify</c> (what a
/// verifier app does: check the signature against the pinned anchor and the freshness). docs/verifier.md#offline-trust-bundle.
/// </summary>
public sealed class BundleCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var ledger = new Option<string?>("--ledger") { Description = $"Ledger whose revocations go into the bundle (sqlite:PATH, postgres:...; default: the ledger serve uses: ${AuditCommands.LedgerVariable}, sqlite:.vaxcert/ledger.db)" };
        var output = new Option<string>("--out") { Description = "The bundle file to write", DefaultValueFactory = _ => "bundle.vxb" };
        var keys = new Option<string>("--keys") { Description = "Folder with the default inputs: dsc-*.crt.pem, bundle-signer.*, facility-ca.crt.pem, facilities/", DefaultValueFactory = _ => "keys-dev" };
        var trust = new Option<string?>("--trust") { Description = "DSCs to carry: a PEM/DER file, a folder or an EU gateway trust-list JSON (default: KEYS/dsc-es256.crt.pem and dsc-ps256.crt.pem)" };
        var facilityTrust = new Option<string?>("--facility-trust") { Description = "Facility trust folder (facility-ca.crt.pem, facilities/, facility-revoked.txt; default: KEYS)" };
        var signerCert = new Option<string?>("--signer-cert") { Description = "Bundle-signing certificate PEM (default: KEYS/bundle-signer.crt.pem)" };
        var signerKey = new Option<string?>("--signer-key") { Description = "Bundle-signing private key PEM (default: KEYS/bundle-signer.key.pem)" };
        var valueSets = new Option<string?>("--value-sets") { Description = "EU value-set JSON to carry: a file or a folder of *.json (optional \"displayVi\" per value)" };
        var rules = new Option<string?>("--rules") { Description = "Business rules in the EU gateway JSON format (an array)" };
        var validFor = new Option<string>("--valid-for") { Description = "How long verifiers may use the bundle offline (36h, 2d, 1.00:00:00)", DefaultValueFactory = _ => "48h" };
        var sequence = new Option<long?>("--sequence") { Description = "Sequence number (default: the issue time in Unix seconds, so it always increases)" };
        var previous = new Option<string?>("--base") { Description = "The previous full bundle: also write the delta from it (--delta-out)" };
        var deltaOut = new Option<string?>("--delta-out") { Description = "Where to write the delta against --base" };
        var build = new Command("build", ExitCodes.Describe("Build and sign an offline trust bundle for verifier apps.", "0 written, 1 usage error, 2 an input could not be read"))
        {
            ledger, output, keys, trust, facilityTrust, signerCert, signerKey, valueSets, rules, validFor, sequence, previous, deltaOut,
        };
        build.SetAction((parse, ct) => BundleBuild.RunAsync(new BundleBuildRequest(parse.GetValue(ledger), parse.GetValue(output)!, parse.GetValue(keys)!,
            parse.GetValue(trust), parse.GetValue(facilityTrust), parse.GetValue(signerCert), parse.GetValue(signerKey), parse.GetValue(valueSets),
            parse.GetValue(rules), parse.GetValue(validFor)!, parse.GetValue(sequence), parse.GetValue(previous), parse.GetValue(deltaOut)),
            AnsiConsole.Console, TimeProvider.System, ct));

        var file = new Argument<string>("bundle") { Description = "The bundle (or, with --base, the update) to check" };
        var anchor = new Option<string?>("--anchor") { Description = "Required. The pinned anchor certificate(s) PEM (the ministry CSCA: keys-dev/csca.crt.pem for dev bundles)" };
        var at = new Option<string?>("--at") { Description = "Check as of this ISO-8601 instant instead of now" };
        var baseBundle = new Option<string?>("--base") { Description = "Apply FILE as an update (delta or newer full bundle) to this bundle" };
        var verify = new Command("verify", ExitCodes.Describe("Check a trust bundle as a verifier app would.", "0 accepted, 3 refused (typed reason), 1 usage error"))
        {
            file, anchor, at, baseBundle,
        };
        verify.SetAction(parse => BundleVerify.Run(parse.GetValue(file)!, parse.GetValue(anchor), parse.GetValue(at), parse.GetValue(baseBundle), AnsiConsole.Console));
        root.Add(new Command("bundle", "Signed offline trust bundles for border and airline verifier apps.") { build, verify });
    }
}

/// <summary>The parsed command line of <c>vaxcert bundle build</c>.</summary>
internal sealed record BundleBuildRequest(string? Ledger, string Out, string Keys, string? Trust = null, string? FacilityTrust = null,
    string? SignerCert = null, string? SignerKey = null, string? ValueSets = null, string? Rules = null, string ValidFor = "48h",
    long? Sequence = null, string? Base = null, string? DeltaOut = null);

/// <summary>The build action: collect, sign, write.</summary>
internal static class BundleBuild
{
    public const int Written = 0, Usage = 1, Unreadable = 2;

    public static async Task<int> RunAsync(BundleBuildRequest request, IAnsiConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = VerifyAction.UnwrappedWidth;
        if (!VerifyAction.TryParseAge(request.ValidFor, out var validFor) || validFor <= TimeSpan.Zero)
            return Fail(console, Usage, $"--valid-for '{request.ValidFor}' is not a positive duration (36h, 2d, 1.00:00:00)");
        if ((request.Base is null) != (request.DeltaOut is null))
            return Fail(console, Usage, "--base and --delta-out go together");
        // Whole seconds: the bundle stores Unix seconds, and a delta must name exactly what the verifier holds.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        try
        {
            TrustBundleContent? previous = null;
            if (request.Base is { } basePath)
            {
                previous = ReadOwnBundle(basePath);
                if (previous is null) return Fail(console, Unreadable, $"{basePath} is not a full trust bundle");
            }

            var signers = LoadSigners(request);
            var (facilityCas, facilityCerts, facilityRevoked) = LoadFacilityTrust(request.FacilityTrust ?? request.Keys);
            var (revocations, revokedCount, undecodable) = await CollectRevocationsAsync(request.Ledger, previous, now, cancellationToken);
            if (undecodable > 0)
                console.MarkupLine($"[yellow]WARNING:[/] {undecodable} revoked certificate(s) have a stored HC1 that does not decode; they are missing from the bundle");
            var valueSets = LoadValueSets(request.ValueSets);
            string? rules = null;
            if (request.Rules is { } rulesPath)
            {
                rules = File.ReadAllText(rulesPath);
                var read = Verifier.Rules.BusinessRuleReader.Read(rules);
                if (!read.Succeeded) return Fail(console, Unreadable, $"{rulesPath}: {read.Message}");
            }
            var content = new TrustBundleContent
            {
                Sequence = request.Sequence ?? now.ToUnixTimeSeconds(),
                IssuedAt = now,
                ExpiresAt = now + validFor,
                Signers = signers,
                FacilityCas = facilityCas,
                FacilityCertificates = facilityCerts,
                FacilityRevoked = facilityRevoked,
                Revocations = revocations,
                ValueSets = valueSets,
                Rules = rules,
            };
            if (previous is not null && content.Sequence <= previous.Sequence)
                return Fail(console, Usage, $"sequence {content.Sequence} is not newer than the base's {previous.Sequence}");

            using var signer = SoftwareCoseSigner.FromPemFiles(request.SignerCert ?? Path.Combine(request.Keys, DevPkiLayout.BundleSignerCertificate),
                request.SignerKey ?? Path.Combine(request.Keys, DevPkiLayout.BundleSignerKey));
            var bytes = TrustBundleBuilder.Sign(content, signer);
            WriteAtomically(request.Out, bytes);
            console.MarkupLine($"[green bold]bundle written[/] {Markup.Escape(request.Out)} ({bytes.Length:N0} bytes): sequence {content.Sequence}, " +
                               $"{signers.Count} DSC(s), {facilityCerts.Count} facility certificate(s), {revokedCount} revoked certificate(s) " +
                               $"({revocations.Sum(l => l.Partitions.Sum(p => p.Hashes.Count))} hashes), {valueSets.Count} value set(s), " +
                               $"{(rules is null ? "no" : "with")} rules; expires {Format(content.ExpiresAt)}");
            if (previous is not null)
            {
                var delta = TrustBundleBuilder.SignDelta(previous, content, signer);
                WriteAtomically(request.DeltaOut!, delta);
                console.MarkupLine($"[green bold]delta written[/] {Markup.Escape(request.DeltaOut!)} ({delta.Length:N0} bytes): sequence {previous.Sequence} → {content.Sequence}");
            }
            return Written;
        }
        catch (NotALedgerException e) { return Fail(console, Unreadable, "not a VaxCert ledger: " + e.Message); }
        catch (Exception e) when (e is LedgerException or IOException or UnauthorizedAccessException or CryptographicException
                                      or TrustListException or ArgumentException or FormatException)
        {
            return Fail(console, Unreadable, e.Message);
        }
    }

    private static List<BundleSigner> LoadSigners(BundleBuildRequest request)
    {
        var lists = request.Trust is { } trust ? [TrustListLoader.Load(trust)]
            : new[] { DevPkiLayout.DscEs256Certificate, DevPkiLayout.DscPs256Certificate }.Select(f => Path.Combine(request.Keys, f))
                .Where(File.Exists).Select(f => TrustListLoader.Load(f)).ToList();
        var signers = lists.SelectMany(l => l.Signers).Select(s => new BundleSigner(s.Certificate.RawData, s.Country)).ToList();
        return signers.Count > 0 ? signers : throw new TrustListException("no document signer certificate to carry (see --trust)");
    }

    private static (List<byte[]> Cas, List<byte[]> Certificates, List<string> Revoked) LoadFacilityTrust(string folder)
    {
        var caPath = Path.Combine(folder, DevPkiLayout.FacilityCaCertificate);
        if (!File.Exists(caPath)) return ([], [], []);
        var cas = new List<byte[]> { X509CertificateLoader.LoadCertificateFromFile(caPath).RawData };
        var facilities = Path.Combine(folder, DevPkiLayout.FacilitiesFolder);
        var certificates = Directory.Exists(facilities)
            ? Directory.GetFiles(facilities, "*.crt.pem").Order(StringComparer.Ordinal).Select(f => X509CertificateLoader.LoadCertificateFromFile(f).RawData).ToList()
            : [];
        var revokedPath = Path.Combine(folder, DevPkiLayout.FacilityRevocationList);
        var revoked = File.Exists(revokedPath) ? FacilityTrust.ReadRevocationList(revokedPath).ToList() : [];
        return (cas, certificates, revoked);
    }

    // Every revoked certificate of the ledger that has not expired yet, as its three EU hashes under its signer's kid.
    private static async Task<(IReadOnlyList<BundleRevocationList> Lists, long Certificates, long Undecodable)> CollectRevocationsAsync(string? spec,
        TrustBundleContent? previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resolved = spec ?? ServerConfiguration.Load(null).Ledger;
        await using var ledger = await LedgerSpec.Parse(resolved).OpenAsync(LedgerOpenMode.ExistingOnly, cancellationToken: cancellationToken);
        if (ledger is not IRevocationLedger revocations)
            throw new LedgerException("this ledger cannot list revocations with their certificates");
        // The same rows and the same builder as the published revocation list (vaxcert revocations export, GetRevocationList).
        var head = await revocations.GetAuditHeadSeqAsync(cancellationToken);
        var build = await RevocationListBuilder.BuildAsync(RevocationListPublisher.Inputs(revocations, 0, head, cancellationToken), 0, now,
            cancellationToken: cancellationToken);
        var collector = new BundleRevocations();
        if (previous is not null) collector.UseModesOf(previous);
        collector.AddAll(build.Document);
        return (collector.Build(), build.Certificates - build.Expired - build.Undecodable, build.Undecodable);
    }

    private static List<byte[]> LoadValueSets(string? path)
    {
        if (path is null) return [];
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToList() : [path];
        var sets = files.Select(File.ReadAllBytes).ToList();
        if (!Core.Dcc.ValueSets.Default.TryWith(sets, out _, out var problem)) throw new FormatException(problem);
        return sets;
    }

    // The issuer's own previous bundle: read, not re-verified (its signer is this command's key).
    internal static TrustBundleContent? ReadOwnBundle(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return CoseSign1Message.TryDecode(bytes, out var message, out _) && TrustBundleCodec.TryDecode(message!.Payload, out var content, out _)
               && !content!.IsDelta ? content : null;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static int Fail(IAnsiConsole console, int code, string message) => CliError.Fail(console, message, code);
}

/// <summary><c>vaxcert bundle verify</c> and the bundle side of <c>vaxcert verify --bundle</c>.</summary>
internal static class BundleVerify
{
    public const int Accepted = 0, Usage = 1, Refused = 3;

    public static int Run(string path, string? anchorPath, string? atText, string? basePath, IAnsiConsole console)
    {
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = VerifyAction.UnwrappedWidth;
        if (!TryOptions(anchorPath, atText, console, out var anchors, out var options)) return Usage;
        var result = basePath is null ? TrustBundleLoader.LoadFile(path, anchors!, options) : Update(basePath, path, anchors!, options!);
        PrintStatus(console, result);
        return result.Succeeded ? Accepted : Refused;
    }

    private static TrustBundleLoadResult Update(string basePath, string updatePath, IReadOnlyList<X509Certificate2> anchors, TrustBundleLoadOptions options)
    {
        var current = TrustBundleLoader.LoadFile(basePath, anchors, options);
        if (!current.Succeeded) return current;
        byte[] update;
        try { update = File.ReadAllBytes(updatePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { update = []; }
        return current.Bundle.ApplyUpdate(update);
    }

    /// <summary>Reads --anchor and --at; false after printing a usage error.</summary>
    internal static bool TryOptions(string? anchorPath, string? atText, IAnsiConsole console,
        out IReadOnlyList<X509Certificate2>? anchors, out TrustBundleLoadOptions? options)
    {
        anchors = null;
        options = null;
        if (string.IsNullOrWhiteSpace(anchorPath))
        {
            console.MarkupLine("[red bold]error:[/] --anchor PATH is required with a trust bundle (the pinned CSCA certificate)");
            return false;
        }
        var time = TimeProvider.System;
        if (atText is not null)
        {
            if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                CliError.Write(console, $"--at '{atText}' is not an ISO-8601 time");
                return false;
            }
            time = new FixedTime(at);
        }
        try
        {
            anchors = TrustBundleLoader.ReadAnchors(anchorPath);
        }
        catch (Exception e) when (e is TrustListException or IOException or UnauthorizedAccessException)
        {
            CliError.Write(console, e.Message);
            return false;
        }
        options = new TrustBundleLoadOptions { Time = time };
        return true;
    }

    /// <summary>One or two lines: accepted with what it holds, or refused with the typed reason and the age.</summary>
    internal static void PrintStatus(IAnsiConsole console, TrustBundleLoadResult result)
    {
        if (result.Succeeded)
        {
            var b = result.Bundle;
            console.MarkupLine($"[green bold]✓ GÓI TIN CẬY HỢP LỆ / TRUST BUNDLE ACCEPTED[/] sequence {b.Sequence}, issued {BundleBuild.Format(b.IssuedAt)}, " +
                               $"expires {BundleBuild.Format(b.ExpiresAt)} (age {TrustBundleLoadResult.FormatAge(b.AgeAt(result.CheckedAt))})");
            console.MarkupLine($"[grey]{b.TrustList.Signers.Count} DSC(s), facility trust {(b.FacilityTrust is null ? "none" : "yes")}, " +
                               $"{b.RevokedHashCount} revocation hash(es), {b.Content.ValueSets.Count} value set(s), {b.Rules.Count} rule(s); " +
                               $"signed by {Markup.Escape(b.SignerSubject)}[/]");
            return;
        }
        console.MarkupLine($"[yellow bold]? GÓI TIN CẬY BỊ TỪ CHỐI / TRUST BUNDLE REFUSED[/] {result.Failure} ({(int)result.Failure})" +
                           (result.Age is { } age ? $", age {TrustBundleLoadResult.FormatAge(age)}" : ""));
        if (result.Message is { } message) console.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
    }

    /// <summary>The JSON answer of <c>verify --bundle --json</c> when the bundle was refused.</summary>
    internal static System.Text.Json.Nodes.JsonObject RefusalJson(TrustBundleLoadResult refusal) => new()
    {
        ["outcome"] = VerificationOutcome.Indeterminate.ToString(),
        ["bundleFailure"] = (int)refusal.Failure,
        ["bundleFailureName"] = refusal.Failure.ToString(),
        ["bundleMessage"] = refusal.Message,
        ["bundleSequence"] = refusal.Sequence,
        ["bundleIssuedAt"] = refusal.IssuedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["bundleExpiresAt"] = refusal.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        ["bundleAgeSeconds"] = refusal.Age is { } age ? (long)age.TotalSeconds : null,
    };

    /// <summary>
    /// For <c>vaxcert verify --bundle</c>: the verifier over the bundle (its trust list, value sets, revocations, facility
    /// trust), or null after printing why the bundle was refused (the answer is then Indeterminate: no decision).
    /// </summary>
    internal static (CertificateVerifier? Verifier, TrustList? Trust, TrustBundleLoadResult? Refusal, bool UsageError) CreateVerifier(
        string bundlePath, string? anchorPath, DateTimeOffset? at, VerifierOptions options, bool requireCoSignature, IAnsiConsole console,
        Func<TrustList, IReadOnlyList<IAdditionalCheck>>? extraChecks = null)
    {
        if (!TryOptions(anchorPath, null, console, out var anchors, out var loadOptions)) return (null, null, null, true);
        if (at is { } fixedNow) loadOptions = loadOptions! with { Time = new FixedTime(fixedNow) };
        var result = TrustBundleLoader.LoadFile(bundlePath, anchors!, loadOptions);
        if (!result.Succeeded) return (null, null, result, false);
        if (extraChecks is not null) options = options with { AdditionalChecks = [.. options.AdditionalChecks, .. extraChecks(result.Bundle.TrustList)] };
        return (result.Bundle.CreateVerifier(options, requireCoSignature), result.Bundle.TrustList, null, false);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
