using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Ledger;
using VaxCert.Ledger.Merkle;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// The Merkle log commands (docs/ledger.md, "Merkle audit log"): prove and consistency write files a third party checks
/// offline with check-proof and only the public key; a changed file or head is refused; audit verify checks the heads.
/// </summary>
public sealed class AuditMerkleCommandTests
{
    private static readonly string PrivateKey = Path.Combine(RepoPaths.KeysDev, "audit-log.key.pem");
    private static readonly string PublicKey = Path.Combine(RepoPaths.KeysDev, "audit-log.pub.pem");

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    /// <summary>Three group commits signed with the dev audit-log key, like serve --dev; returns the spec and the UVCIs.</summary>
    private static async Task<(string Spec, List<string> Uvcis, string Dir)> SignedLedgerAsync()
    {
        var dir = RepoPaths.NewTempDir("audit-merkle");
        var path = Path.Combine(dir, "ledger.db");
        using var key = AuditProofs.LoadKey(PrivateKey);
        var uvcis = new List<string>();
        await using var ledger = await SqliteLedger.OpenAsync(path);
        ledger.CommitSigner = new EcdsaTreeHeadSigner(key);
        for (var group = 0; group < 3; group++)
        {
            var batch = Enumerable.Range(0, 5 + group * 3).Select(i =>
            {
                var uvci = "URN:UVCI:01:VN:HN001/" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
                uvcis.Add(uvci);
                return new CertificateToRecord(uvci, "HN001", $"G{group}-{i}", SHA256.HashData(BitConverter.GetBytes(i)), [1], [2],
                    DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1), "HC1:TEST" + i);
            }).ToList();
            await ledger.RecordIssuedManyAsync(batch);
        }
        return ("sqlite:" + path, uvcis, dir);
    }

    [Fact]
    public async Task A_third_party_checks_inclusion_and_consistency_files_offline_and_any_change_is_refused()
    {
        var (spec, uvcis, dir) = await SignedLedgerAsync();
        var inclusion = Path.Combine(dir, "inclusion.json");
        var consistency = Path.Combine(dir, "consistency.json");

        Assert.Equal(AuditProofs.Ok, await AuditProofs.ProveAsync(spec, null, uvcis[7], inclusion, Console(new StringWriter()), CancellationToken.None));
        Assert.Equal(AuditProofs.Ok, await AuditProofs.ConsistencyAsync(spec, null, 5, null, consistency, Console(new StringWriter()), CancellationToken.None));

        var output = new StringWriter();
        Assert.Equal(AuditProofs.Ok, AuditProofs.CheckProof(inclusion, PublicKey, Console(output)));
        Assert.Contains("VALID", output.ToString());
        Assert.Contains(uvcis[7], output.ToString());
        Assert.Equal(AuditProofs.Ok, AuditProofs.CheckProof(consistency, PublicKey, Console(new StringWriter())));

        // Another subject in the entry, or a changed root: INVALID (exit 1). Another key: INVALID. Garbage: unreadable (2).
        var json = await File.ReadAllTextAsync(inclusion);
        await File.WriteAllTextAsync(inclusion, json.Replace(uvcis[7], uvcis[8]));
        Assert.Equal(AuditProofs.NotProven, AuditProofs.CheckProof(inclusion, PublicKey, Console(new StringWriter())));
        var cjson = await File.ReadAllTextAsync(consistency);
        var root = System.Text.Json.Nodes.JsonNode.Parse(cjson)!["first_tree_head"]!["root_hash"]!.GetValue<string>();
        await File.WriteAllTextAsync(consistency, cjson.Replace(root, new string('0', 64)));
        Assert.Equal(AuditProofs.NotProven, AuditProofs.CheckProof(consistency, PublicKey, Console(new StringWriter())));
        var otherKey = Path.Combine(dir, "other.pem");
        using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            await File.WriteAllTextAsync(otherKey, other.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(inclusion, json);
        Assert.Equal(AuditProofs.NotProven, AuditProofs.CheckProof(inclusion, otherKey, Console(new StringWriter())));
        await File.WriteAllTextAsync(inclusion, "{ not json");
        var garbage = new StringWriter();
        Assert.Equal(AuditProofs.Unreadable, AuditProofs.CheckProof(inclusion, PublicKey, Console(garbage)));
        Assert.StartsWith("error: ", garbage.ToString());

        Assert.Equal(AuditProofs.NotProven, await AuditProofs.ProveAsync(spec, null, "URN:UVCI:01:VN:NONE", null, Console(new StringWriter()), CancellationToken.None));
        Assert.Equal(AuditProofs.NotProven, await AuditProofs.ConsistencyAsync(spec, null, 4, null, null, Console(new StringWriter()), CancellationToken.None));
    }

    [Fact]
    public async Task Audit_verify_checks_the_signed_heads_and_reports_a_forged_one()
    {
        var (spec, _, _) = await SignedLedgerAsync();
        var output = new StringWriter();
        Assert.Equal(AuditVerify.Intact, await AuditVerify.RunAsync(spec, null, Console(output), CancellationToken.None, PublicKey));
        Assert.Contains("3 signed tree heads", output.ToString());
        Assert.Contains("every signature verifies", output.ToString());

        // A head re-signed with another key over the right root: the log key catches it.
        await using (var raw = new SqliteConnection($"Data Source={spec["sqlite:".Length..]};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "DROP TRIGGER tree_heads_no_update; UPDATE tree_heads SET signature = zeroblob(64) WHERE tree_size = 13";
            await command.ExecuteNonQueryAsync();
        }
        var broken = new StringWriter();
        Assert.Equal(AuditVerify.Broken, await AuditVerify.RunAsync(spec, null, Console(broken), CancellationToken.None, PublicKey));
        Assert.Contains("BadSignature", broken.ToString());
        Assert.Equal(AuditVerify.Intact, await AuditVerify.RunAsync(spec, null, Console(new StringWriter()), CancellationToken.None));
    }
}
