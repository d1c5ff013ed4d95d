using Microsoft.Data.Sqlite;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Ledger;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// <c>vaxcert audit verify</c> (issue 12 item 3, issue 14): a row edited behind the ledger's back is BROKEN (exit 1), a
/// file that is not a ledger is one clear error (exit 2) and is left unchanged, and without --ledger the command verifies
/// the ledger the server configuration names.
/// </summary>
public sealed class AuditVerifyCommandTests
{
    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private static async Task<(string Path, string Uvci)> LedgerWithOneRevocationAsync()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("audit-verify"), "ledger.db");
        var uvci = "URN:UVCI:01:VN:HN001/" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        await using var ledger = await SqliteLedger.OpenAsync(path);
        await ledger.RecordIssuedAsync(new CertificateToRecord(uvci, "HN001", "R-1", new byte[32], [1], [2],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1), "HC1:TEST"));
        await ledger.RevokeAsync(uvci, "fraud");
        return (path, uvci);
    }

    [Fact]
    public async Task An_un_revoked_certificate_makes_verify_report_broken()
    {
        var (path, uvci) = await LedgerWithOneRevocationAsync();
        var intact = new StringWriter();
        Assert.Equal(AuditVerify.Intact, await AuditVerify.RunAsync("sqlite:" + path, null, Console(intact), CancellationToken.None));

        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "UPDATE certificates SET status = 'issued', revoked_at = NULL, revocation_reason = NULL";
            await command.ExecuteNonQueryAsync();
        }
        var output = new StringWriter();
        var exit = await AuditVerify.RunAsync("sqlite:" + path, null, Console(output), CancellationToken.None);

        Assert.Equal(AuditVerify.Broken, exit);
        Assert.Contains("BROKEN", output.ToString());
        Assert.Contains("CertificateMismatch", output.ToString());
        Assert.Contains(uvci, output.ToString());
    }

    [Fact]
    public async Task A_file_that_is_not_a_ledger_is_one_clear_error_and_stays_unchanged()
    {
        var dir = RepoPaths.NewTempDir("audit-verify");
        var other = Path.Combine(dir, "other.db");
        await using (var raw = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY)";
            await command.ExecuteNonQueryAsync();
        }
        var before = await File.ReadAllBytesAsync(other);
        var output = new StringWriter();

        var exit = await AuditVerify.RunAsync("sqlite:" + other, null, Console(output), CancellationToken.None);

        Assert.Equal(AuditVerify.Unreadable, exit);
        Assert.Contains("error: not a VaxCert ledger", output.ToString());
        Assert.Equal(before, await File.ReadAllBytesAsync(other));
        Assert.Equal(AuditVerify.Unreadable,
            await AuditVerify.RunAsync("sqlite:" + Path.Combine(dir, "typo.db"), null, Console(new StringWriter()), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(dir, "typo.db")));
    }

    [Fact]
    public async Task Without_ledger_option_it_verifies_the_ledger_of_the_server_configuration()
    {
        var (path, _) = await LedgerWithOneRevocationAsync();
        var config = Path.Combine(Path.GetDirectoryName(path)!, "server.json");
        await File.WriteAllTextAsync(config, $$"""{ "Ledger": "sqlite:{{path.Replace("\\", "/")}}" }""");
        var output = new StringWriter();

        var exit = await AuditVerify.RunAsync(null, config, Console(output), CancellationToken.None);

        Assert.Equal(AuditVerify.Intact, exit);
        Assert.Contains(path, output.ToString());
        Assert.Contains("1 certificates", output.ToString());
    }
}
