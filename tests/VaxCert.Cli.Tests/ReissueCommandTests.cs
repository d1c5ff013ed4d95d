using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Issuance;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Ledger;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// <c>vaxcert reissue</c> (issue 11): an operator re-issues one certificate or a wave straight on the ledger with the
/// configured signer; a rerun re-issues nothing; the old certificates stay; the audit log verifies; mistakes are one error
/// line with their exit code.
/// </summary>
public sealed class ReissueCommandTests
{
    private static IAnsiConsole Console(StringWriter w)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
        });
        console.Profile.Width = 1000; // as on a pipe: lines naming two UVCIs are not wrapped
        return console;
    }

    /// <summary>A ledger with <paramref name="count"/> real certificates of HN001 signed by the dev DSC.</summary>
    private static async Task<(string Spec, List<string> Uvcis)> LedgerAsync(int count)
    {
        var path = Path.Combine(RepoPaths.NewTempDir("reissue-cli"), "ledger.db");
        using var signer = SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate),
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key));
        var issuer = Hc1Issuer.Create(signer);
        await using var ledger = await SqliteLedger.OpenAsync(path);
        var uvcis = new List<string>();
        for (var seed = 1; uvcis.Count < count; seed++)
        {
            var record = SampleRecords.Create(new Random(seed), "HN001");
            if (issuer.Issue(record).Certificate is not { } c) continue;
            await ledger.RecordIssuedAsync(new CertificateToRecord(c.Uvci, "HN001", $"R-{seed}", new byte[32], [1], c.SignerKeyId,
                c.IssuedAt, c.ExpiresAt, c.Hc1));
            uvcis.Add(c.Uvci);
        }
        return ("sqlite:" + path, uvcis);
    }

    private static Dictionary<string, string?> Dev(string spec) => new() { ["Ledger"] = spec, ["Dev"] = "true", ["KeysDir"] = RepoPaths.KeysDev };

    private static string Bound() =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMonths(12).ToString("O", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_wave_is_reissued_once_with_progress_and_results_and_a_rerun_reissues_nothing()
    {
        var (spec, uvcis) = await LedgerAsync(5);
        await Task.Delay(1100); // every certificate expires strictly before the whole-second bound
        var before = Bound();
        var results = Path.Combine(RepoPaths.NewTempDir("reissue-cli"), "results.jsonl");
        var first = new StringWriter();

        Assert.Equal(ReissueRun.Done, await ReissueRun.RunAsync(new ReissueArguments(null, before, "HN001", null, results), null, Dev(spec),
            Console(first), CancellationToken.None));
        Assert.Contains("5/5 (100.0 %)", first.ToString());
        Assert.Contains("5 re-issued, 0 already re-issued, 0 not re-issued", first.ToString());
        var lines = File.ReadAllLines(results).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(uvcis.Order(StringComparer.Ordinal), lines.Select(l => (string)l["uvci"]!));
        Assert.All(lines, l => Assert.Equal("Reissued", (string)l["status"]!));
        Assert.All(lines, l => Assert.StartsWith("HC1:", (string)l["hc1"]!));

        var again = new StringWriter();
        Assert.Equal(ReissueRun.Done, await ReissueRun.RunAsync(new ReissueArguments(null, before, null, null, null), null, Dev(spec),
            Console(again), CancellationToken.None));
        Assert.Contains("0 re-issued, 5 already re-issued, 0 not re-issued", again.ToString());

        var single = new StringWriter();
        Assert.Equal(ReissueRun.Done, await ReissueRun.RunAsync(new ReissueArguments(uvcis[0], null, null, null, null), null, Dev(spec),
            Console(single), CancellationToken.None));
        Assert.Contains($"{uvcis[0]} was already re-issued as {lines.Single(l => (string)l["uvci"]! == uvcis[0])["new_uvci"]}", single.ToString());

        await using (var ledger = await LedgerSpec.Parse(spec).OpenAsync(LedgerOpenMode.ExistingOnly))
        {
            Assert.Equal(10, (await ledger.GetCountsAsync()).Certificates);
            foreach (var line in lines)
                Assert.Equal((string)line["uvci"]!, (await ledger.FindByUvciAsync((string)line["new_uvci"]!))!.Certificate.ReissueOf);
        }
        Assert.Equal(AuditVerify.Intact, await AuditVerify.RunAsync(spec, null, Console(new StringWriter()), CancellationToken.None));
    }

    [Fact]
    public async Task Mistakes_are_one_error_line_with_their_exit_code()
    {
        var (spec, uvcis) = await LedgerAsync(1);
        async Task<(int Code, string Text)> Run(ReissueArguments a, string ledgerSpec)
        {
            var w = new StringWriter();
            var code = await ReissueRun.RunAsync(a, null, Dev(ledgerSpec), Console(w), CancellationToken.None);
            return (code, w.ToString());
        }

        var both = await Run(new ReissueArguments(uvcis[0], "2026-01-01", null, null, null), spec);
        Assert.Equal(ReissueRun.Invalid, both.Code);
        Assert.StartsWith("error: give exactly one of --uvci UVCI or --expiring-before DATE", both.Text);
        var badDate = await Run(new ReissueArguments(null, "next year", null, null, null), spec);
        Assert.Equal(ReissueRun.Invalid, badDate.Code);
        Assert.StartsWith("error: --expiring-before must be a date", badDate.Text);
        var tooLate = await Run(new ReissueArguments(null, DateTime.UtcNow.AddMonths(13).ToString("yyyy-MM-dd"), null, null, null), spec);
        Assert.Equal(ReissueRun.Invalid, tooLate.Code);
        Assert.Contains("error: expiring_before: expiring_before must be at most", tooLate.Text);
        var unknown = await Run(new ReissueArguments("URN:UVCI:01:VN:HN001/NOPE#X", null, null, null, null), spec);
        Assert.Equal(ReissueRun.Invalid, unknown.Code);
        Assert.Contains("error: no certificate with this UVCI", unknown.Text);

        var missing = Path.Combine(RepoPaths.NewTempDir("reissue-cli"), "typo.db");
        var notLedger = await Run(new ReissueArguments(uvcis[0], null, null, null, null), "sqlite:" + missing);
        Assert.Equal(ReissueRun.Unusable, notLedger.Code);
        Assert.Contains("error: ", notLedger.Text);
        Assert.False(File.Exists(missing)); // never creates an empty ledger where a path was mistyped
    }
}
