using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Ledger;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// <c>vaxcert revoke --facility|--kid</c> (issue 13): an operator revokes every certificate of one facility in one audited
/// operation on the ledger, other facilities untouched; running it again only counts; the audit log still verifies; a
/// mistyped request or a file that is not a ledger is one error line with its exit code.
/// </summary>
public sealed class RevokeCommandTests
{
    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private static async Task<(string Spec, string[] Hanoi, string Saigon)> LedgerAsync()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("revoke-cli"), "ledger.db");
        string Uvci(string facility) => $"URN:UVCI:01:VN:{facility}/" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var hanoi = new[] { Uvci("HN001"), Uvci("HN001") };
        var saigon = Uvci("HCM01");
        await using var ledger = await SqliteLedger.OpenAsync(path);
        var i = 0;
        foreach (var (uvci, facility) in hanoi.Select(u => (u, "HN001")).Append((saigon, "HCM01")))
            await ledger.RecordIssuedAsync(new CertificateToRecord(uvci, facility, $"R-{++i}", new byte[32], [1], [2],
                DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1), "HC1:TEST"));
        return ("sqlite:" + path, hanoi, saigon);
    }

    [Fact]
    public async Task Revoking_a_facility_revokes_all_of_it_once_and_nothing_else()
    {
        var (spec, hanoi, saigon) = await LedgerAsync();
        var first = new StringWriter();

        Assert.Equal(RevocationRun.Done,
            await RevocationRun.RevokeAsync("HN001", null, "facility-closed", spec, null, Console(first), CancellationToken.None));
        Assert.Contains("2 certificates of facility HN001 revoked, 0 already revoked", first.ToString());

        var again = new StringWriter();
        Assert.Equal(RevocationRun.Done,
            await RevocationRun.RevokeAsync("HN001", null, "facility-closed", spec, null, Console(again), CancellationToken.None));
        Assert.Contains("0 certificates of facility HN001 revoked, 2 already revoked", again.ToString());

        await using (var ledger = await LedgerSpec.Parse(spec).OpenAsync(LedgerOpenMode.ExistingOnly))
        {
            foreach (var uvci in hanoi)
                Assert.Equal(CertificateStatus.Revoked, (await ledger.FindByUvciAsync(uvci))!.Status);
            Assert.Equal(CertificateStatus.Issued, (await ledger.FindByUvciAsync(saigon))!.Status);
        }
        Assert.Equal(AuditVerify.Intact, await AuditVerify.RunAsync(spec, null, Console(new StringWriter()), CancellationToken.None));
    }

    [Fact]
    public async Task Mistakes_are_one_error_line_with_their_exit_code()
    {
        var (spec, _, _) = await LedgerAsync();
        var both = new StringWriter();
        Assert.Equal(RevocationRun.Invalid,
            await RevocationRun.RevokeAsync("HN001", "0011223344556677", "x", spec, null, Console(both), CancellationToken.None));
        Assert.StartsWith("error: give exactly one of --facility CODE or --kid HEX", both.ToString());

        var badKid = new StringWriter();
        Assert.Equal(RevocationRun.Invalid,
            await RevocationRun.RevokeAsync(null, "not-hex", "x", spec, null, Console(badKid), CancellationToken.None));
        Assert.StartsWith("error: --kid must be hexadecimal", badKid.ToString());

        var missing = Path.Combine(RepoPaths.NewTempDir("revoke-cli"), "typo.db");
        var notLedger = new StringWriter();
        Assert.Equal(RevocationRun.Unusable,
            await RevocationRun.RevokeAsync("HN001", null, "x", "sqlite:" + missing, null, Console(notLedger), CancellationToken.None));
        Assert.StartsWith("error: ", notLedger.ToString());
        Assert.False(File.Exists(missing)); // never creates an empty ledger where a path was mistyped
    }
}
