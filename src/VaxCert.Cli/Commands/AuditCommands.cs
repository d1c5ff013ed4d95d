using System.CommandLine;
using System.Security.Cryptography;
using Spectre.Console;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert audit verify [--ledger SPEC] [--config FILE] [--log-key PEM]</c>: walks the ledger's audit chain, then checks
/// every table against it (each certificate row, its revocation, the head counters), then the Merkle log (each signed tree
/// head against the recomputed tree, signatures, consistency), and names the first break. <c>audit sign-head</c>,
/// <c>audit prove</c>, <c>audit consistency</c> and <c>audit check-proof</c> are the Merkle log's proofs (docs/ledger.md). Exit codes: 0 intact,
/// 1 broken, 2 the ledger could not be read or is not a VaxCert ledger. Without --ledger it verifies the ledger
/// <c>vaxcert serve</c> would use (the config file, then VAXCERT_LEDGER, then sqlite:.vaxcert/ledger.db), and PostgreSQL
/// passwords come from PGPASSWORD or a passfile, so no secret needs to be a process argument.
/// </summary>
public sealed class AuditCommands : ICliModule
{
    /// <summary>Environment variable read when --ledger is not given (the same one serve reads).</summary>
    public const string LedgerVariable = ServerConfiguration.EnvironmentPrefix + "LEDGER";

    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        Option<string?> Ledger() => new("--ledger")
        {
            Description = $"Ledger spec: sqlite:PATH, postgres:Host=...;Database=... or postgresql://user@host/db (default: the ledger serve uses: --config, ${LedgerVariable}, sqlite:.vaxcert/ledger.db)",
        };
        Option<string?> Config() => new("--config") { Description = "The server's JSON configuration file; its Ledger is used" };
        Option<string?> Out() => new("--out") { Description = "Write the proof file here (default: stdout)" };

        var ledger = Ledger();
        var config = Config();
        var logKey = new Option<string?>("--log-key")
        {
            Description = "Public (or private) key PEM of the audit log: also check every signed tree head's signature (e.g. keys-dev/audit-log.pub.pem)",
        };
        var verify = new Command("verify",
            ExitCodes.Describe("Verify the audit chain and every table against it, then the Merkle log: each signed tree head's root recomputed from the entries, its signature (with --log-key), consistency between consecutive heads.",
                "0 intact, 1 broken, 2 unreadable or not a VaxCert ledger"))
            { ledger, config, logKey };
        verify.SetAction((parse, ct) => AuditVerify.RunAsync(parse.GetValue(ledger), parse.GetValue(config), AnsiConsole.Console, ct, parse.GetValue(logKey)));

        var signLedger = Ledger();
        var signConfig = Config();
        var signKey = new Option<string>("--key") { Description = "Private key PEM of the audit log (EC P-256; dev: keys-dev/audit-log.key.pem)", Required = true };
        var signHead = new Command("sign-head",
            ExitCodes.Describe("Sign a tree head for the log's current size now (serve signs one per commit when it has an audit log key) and print it as JSON.",
                "0 signed, 2 unreadable ledger or key"))
            { signLedger, signConfig, signKey };
        signHead.SetAction((parse, ct) => AuditProofs.SignHeadAsync(parse.GetValue(signLedger), parse.GetValue(signConfig), parse.GetValue(signKey)!,
            AnsiConsole.Console, ct));

        var proveLedger = Ledger();
        var proveConfig = Config();
        var proveOut = Out();
        var uvci = new Option<string>("--uvci") { Description = "The certificate whose Issued entry is proven", Required = true };
        var prove = new Command("prove",
            ExitCodes.Describe("Write an inclusion proof of a certificate's Issued audit entry against the latest signed tree head, as JSON a third party checks with 'audit check-proof'.",
                "0 written, 1 no such certificate in the log or no signed tree head yet, 2 unreadable ledger or output"))
            { uvci, proveLedger, proveConfig, proveOut };
        prove.SetAction((parse, ct) => AuditProofs.ProveAsync(parse.GetValue(proveLedger), parse.GetValue(proveConfig), parse.GetValue(uvci)!,
            parse.GetValue(proveOut), AnsiConsole.Console, ct));

        var consistencyLedger = Ledger();
        var consistencyConfig = Config();
        var consistencyOut = Out();
        var from = new Option<long>("--from") { Description = "Size of the earlier signed tree head", Required = true };
        var to = new Option<long?>("--to") { Description = "Size of the later signed tree head (default: the latest)" };
        var consistency = new Command("consistency",
            ExitCodes.Describe("Write a consistency proof between two signed tree heads (the later log extends the earlier one unchanged), as JSON for 'audit check-proof'.",
                "0 written, 1 no signed tree head of that size or --from after --to, 2 unreadable ledger or output"))
            { from, to, consistencyLedger, consistencyConfig, consistencyOut };
        consistency.SetAction((parse, ct) => AuditProofs.ConsistencyAsync(parse.GetValue(consistencyLedger), parse.GetValue(consistencyConfig),
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(consistencyOut), AnsiConsole.Console, ct));

        var file = new Argument<string>("FILE") { Description = "A proof file written by 'audit prove' or 'audit consistency'" };
        var checkKey = new Option<string>("--key") { Description = "Public key PEM of the audit log (keys-dev/audit-log.pub.pem for the dev log)", Required = true };
        var checkProof = new Command("check-proof",
            ExitCodes.Describe("Check a proof file offline, with only the log's public key: tree head signatures, the entry's hash, the RFC 9162 proof.",
                "0 valid, 1 invalid, 2 unreadable file or key, or not a proof file"))
            { file, checkKey };
        checkProof.SetAction((parse, _) => Task.FromResult(AuditProofs.CheckProof(parse.GetValue(file)!, parse.GetValue(checkKey)!, AnsiConsole.Console)));

        root.Add(new Command("audit", "Audit log of the issuance ledger: hash chain and Merkle log (RFC 9162).") { verify, signHead, prove, consistency, checkProof });
    }
}

/// <summary>The verify action, separate from parsing so it can be driven with any console.</summary>
internal static class AuditVerify
{
    public const int Intact = 0, Broken = 1, Unreadable = 2;

    public static async Task<int> RunAsync(string? spec, string? configFile, IAnsiConsole console, CancellationToken cancellationToken,
        string? logKeyFile = null)
    {
        try
        {
            using var logKey = logKeyFile is null ? null : AuditProofs.LoadKey(logKeyFile);
            var parsed = AuditProofs.Resolve(spec, configFile);
            // ExistingOnly: a mistyped path or an empty database must never verify as an empty, intact ledger.
            await using var ledger = await parsed.OpenAsync(LedgerOpenMode.ExistingOnly, cancellationToken: cancellationToken);
            var counts = await ledger.GetCountsAsync(cancellationToken);
            console.MarkupLine($"Verifying [bold]{Markup.Escape(parsed.Describe())}[/] ({counts.AuditEntries:N0} audit entries, {counts.Certificates:N0} certificates)");
            var report = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("entries and certificates", maxValue: Math.Max(counts.AuditEntries + counts.Certificates, 1));
                    var result = await ledger.VerifyAuditChainAsync(new Progress<long>(n => task.Value = Math.Min(n, task.MaxValue)), cancellationToken);
                    task.Value = task.MaxValue;
                    return result;
                });
            if (report.FirstBreak is { } broken)
            {
                console.MarkupLine($"[red bold]BROKEN[/] {(broken.Seq > 0 ? $"at seq [bold]{broken.Seq}[/] " : "")}({broken.Kind}): {Markup.Escape(broken.Detail)}");
                console.MarkupLine($"{report.EntriesChecked:N0} audit entries and {report.CertificatesChecked:N0} certificates before it are intact.");
                return Broken;
            }
            console.MarkupLine($"[green bold]OK[/] audit chain intact: {report.EntriesChecked:N0} entries; "
                               + $"{report.CertificatesChecked:N0} certificates and the head counters match the log");
            if (ledger is not IMerkleAuditLog merkle)
                return Intact;
            var tree = await merkle.VerifyMerkleLogAsync(logKey, null, cancellationToken);
            if (tree.FirstBreak is { } treeBreak)
            {
                console.MarkupLine($"[red bold]BROKEN[/] Merkle log at tree size [bold]{treeBreak.TreeSize}[/] ({treeBreak.Kind}): {Markup.Escape(treeBreak.Detail)}");
                return Broken;
            }
            console.MarkupLine($"[green bold]OK[/] Merkle log: {tree.Leaves:N0} leaves; {tree.TreeHeads:N0} signed tree heads match the recomputed roots, "
                               + "each consistent with the one before"
                               + (tree.SignaturesChecked ? "; every signature verifies with the log key" : " (signatures not checked: no --log-key)"));
            return Intact;
        }
        catch (CryptographicException ex)
        {
            return Fail(console, "cannot read the log key: " + ex.Message);
        }
        catch (IOException ex)
        {
            return Fail(console, ex.Message);
        }
        catch (NotALedgerException ex)
        {
            return Fail(console, "not a VaxCert ledger: " + ex.Message);
        }
        catch (Exception ex) when (ex is LedgerException or ArgumentException)
        {
            return Fail(console, ex.Message);
        }
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        return CliError.Fail(console, message, Unreadable);
    }
}
