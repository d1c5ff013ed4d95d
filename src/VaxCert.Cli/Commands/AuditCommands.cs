using System.CommandLine;
using Spectre.Console;
using VaxCert.Ledger;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert audit verify --ledger SPEC</c>: walks the ledger's audit chain and names the first broken entry.
/// Exit codes: 0 intact, 1 broken, 2 the ledger could not be read. The spec may come from VAXCERT_LEDGER instead of the
/// command line, and PostgreSQL passwords from PGPASSWORD or a passfile, so no secret needs to be a process argument.
/// </summary>
public sealed class AuditCommands : ICliModule
{
    /// <summary>Environment variable read when --ledger is not given.</summary>
    public const string LedgerVariable = "VAXCERT_LEDGER";

    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var ledger = new Option<string?>("--ledger")
        {
            Description = $"Ledger spec: sqlite:PATH, postgres:Host=...;Database=... or postgresql://user@host/db (default: ${LedgerVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(LedgerVariable),
        };
        var verify = new Command("verify", "Verify the tamper-evident audit chain; exit code 0 only if it is intact.") { ledger };
        verify.SetAction((parse, ct) => AuditVerify.RunAsync(parse.GetValue(ledger), AnsiConsole.Console, ct));
        root.Add(new Command("audit", "Audit log of the issuance ledger.") { verify });
    }
}

/// <summary>The verify action, separate from parsing so it can be driven with any console.</summary>
internal static class AuditVerify
{
    public const int Intact = 0, Broken = 1, Unreadable = 2;

    public static async Task<int> RunAsync(string? spec, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(spec))
            return Fail(console, $"no ledger given: pass --ledger SPEC or set {AuditCommands.LedgerVariable}");
        try
        {
            var parsed = LedgerSpec.Parse(spec);
            // Opening creates a missing SQLite file; a mistyped path must not verify as an empty, intact chain.
            if (parsed is { Engine: LedgerEngine.Sqlite } && parsed.Target != LedgerSpec.InMemory && !File.Exists(parsed.Target))
                return Fail(console, $"no ledger file at {parsed.Target}");
            await using var ledger = await parsed.OpenAsync(cancellationToken: cancellationToken);
            var total = (await ledger.GetCountsAsync(cancellationToken)).AuditEntries;
            console.MarkupLine($"Verifying the audit chain of [bold]{Markup.Escape(parsed.Describe())}[/] ({total:N0} entries)");
            var report = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("audit entries", maxValue: Math.Max(total, 1));
                    var result = await ledger.VerifyAuditChainAsync(new Progress<long>(n => task.Value = n), cancellationToken);
                    task.Value = task.MaxValue;
                    return result;
                });
            if (report.FirstBreak is { } broken)
            {
                console.MarkupLine($"[red bold]BROKEN[/] first broken entry: seq [bold]{broken.Seq}[/] ({broken.Kind}): {Markup.Escape(broken.Detail)}");
                console.MarkupLine($"{report.EntriesChecked:N0} entries before it are intact.");
                return Broken;
            }
            console.MarkupLine($"[green bold]OK[/] audit chain intact: {report.EntriesChecked:N0} entries");
            return Intact;
        }
        catch (Exception ex) when (ex is LedgerException or ArgumentException)
        {
            return Fail(console, ex.Message);
        }
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        console.MarkupLine($"[red bold]error[/] {Markup.Escape(message)}");
        return Unreadable;
    }
}
