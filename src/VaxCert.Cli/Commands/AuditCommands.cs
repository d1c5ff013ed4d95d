using System.CommandLine;
using Spectre.Console;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert audit verify [--ledger SPEC] [--config FILE]</c>: walks the ledger's audit chain, then checks every table
/// against it (each certificate row, its revocation, the head counters), and names the first break. Exit codes: 0 intact,
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
        var ledger = new Option<string?>("--ledger")
        {
            Description = $"Ledger spec: sqlite:PATH, postgres:Host=...;Database=... or postgresql://user@host/db (default: the ledger serve uses: --config, ${LedgerVariable}, sqlite:.vaxcert/ledger.db)",
        };
        var config = new Option<string?>("--config") { Description = "The server's JSON configuration file; its Ledger is verified" };
        var verify = new Command("verify",
            ExitCodes.Describe("Verify the audit chain and every table against it.", "0 intact, 1 broken, 2 unreadable or not a VaxCert ledger"))
            { ledger, config };
        verify.SetAction((parse, ct) => AuditVerify.RunAsync(parse.GetValue(ledger), parse.GetValue(config), AnsiConsole.Console, ct));
        root.Add(new Command("audit", "Audit log of the issuance ledger.") { verify });
    }
}

/// <summary>The verify action, separate from parsing so it can be driven with any console.</summary>
internal static class AuditVerify
{
    public const int Intact = 0, Broken = 1, Unreadable = 2;

    public static async Task<int> RunAsync(string? spec, string? configFile, IAnsiConsole console, CancellationToken cancellationToken)
    {
        try
        {
            // The same resolution as serve: --ledger wins, then the config file and VAXCERT_LEDGER, then the default.
            var resolved = spec ?? ServerConfiguration.Load(configFile).Ledger;
            var parsed = LedgerSpec.Parse(resolved);
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
            return Intact;
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
