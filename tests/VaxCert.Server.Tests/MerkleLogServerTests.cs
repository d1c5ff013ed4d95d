using System.Security.Cryptography;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// serve with an audit log key (--dev: keys-dev/audit-log.key.pem) stores a signed Merkle tree head with its ledger
/// commits; the decorated ledger still exposes the Merkle log (docs/ledger.md, "Merkle audit log").
/// </summary>
public sealed class MerkleLogServerTests
{
    [Fact]
    public async Task A_dev_server_signs_a_tree_head_with_each_commit_using_the_dev_audit_log_key()
    {
        await using var server = await ServerHost.StartAsync(ServerHost.Settings());
        using var channel = ServerHost.Channel(server);
        var client = new Issuer.IssuerClient(channel);
        foreach (var seed in Enumerable.Range(900, 3))
            await client.IssueAsync(Requests.From(Submissions.Valid(seed)));

        var log = Assert.IsAssignableFrom<IMerkleAuditLog>(server.Service.Ledger);
        var head = await log.GetLatestTreeHeadAsync();
        var counts = await server.Service.Ledger.GetCountsAsync();
        Assert.Equal(counts.AuditEntries, head?.TreeSize);
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(RepoPaths.KeysDev, "audit-log.pub.pem")));
        var report = await log.VerifyMerkleLogAsync(publicKey);
        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal(3, report.TreeHeads);
    }
}
