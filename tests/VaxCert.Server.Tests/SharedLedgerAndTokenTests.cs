using System.Text;
using Grpc.Health.V1;
using VaxCert.Core.Chain;
using Grpc.Core;
using VaxCert.Grpc.V1;
using VaxCert.Pkcs11;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace VaxCert.Server.Tests;

/// <summary>Two server instances on one real PostgreSQL, and a server signing with a real SoftHSM2 token key.</summary>
public sealed class SharedLedgerAndTokenTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Fact]
    public async Task Concurrent_duplicates_sent_to_two_instances_sharing_PostgreSQL_yield_exactly_one_certificate()
    {
        var ledger = "postgres:" + PostgresServer.Instance.CreateDatabase("server");
        await using var a = await ServerHost.StartAsync(ServerHost.Settings(ledger));
        await using var b = await ServerHost.StartAsync(ServerHost.Settings(ledger));
        using var channelA = ServerHost.Channel(a);
        using var channelB = ServerHost.Channel(b);
        var clientA = new Issuer.IssuerClient(channelA);
        var clientB = new Issuer.IssuerClient(channelB);
        var submissions = Enumerable.Range(700, 5).Select(seed => Submissions.Valid(seed)).ToList();

        // 8 copies of each record, alternating instances, all in flight together.
        var calls = submissions.SelectMany(s => Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? clientA : clientB).IssueAsync(Requests.From(s)).ResponseAsync)).ToList();
        var responses = await Task.WhenAll(calls);

        foreach (var group in responses.GroupBy(r => r.Uvci))
        {
            Assert.Equal(8, group.Count());
            Assert.Single(group.Select(r => r.Hc1).Distinct());
            Assert.True(group.Count(r => !r.AlreadyIssued) <= 1);
        }
        Assert.Equal(5, responses.Select(r => r.Uvci).Distinct().Count());
        var counts = await a.Service.Ledger.GetCountsAsync();
        Assert.Equal(5, counts.Certificates);
        Assert.True((await b.Service.Ledger.VerifyAuditChainAsync()).Intact);
        // A replay after the race is idempotent too, and a conflicting one is refused on either instance.
        var replay = await clientB.IssueAsync(Requests.From(submissions[0]));
        Assert.True(replay.AlreadyIssued);
        var changed = Submissions.CoSign(submissions[0].Record with { DoseNumber = submissions[0].Record.DoseNumber % 3 + 1 }, "HN001",
            submissions[0].FacilityRecordId);
        var conflict = await Assert.ThrowsAsync<RpcException>(() => clientA.IssueAsync(Requests.From(changed)).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
    }

    [Fact]
    public async Task The_server_signs_with_a_SoftHSM2_token_key_and_the_certificate_verifies_with_the_token_certificate()
    {
        var key = hsm.ProvisionEc("server-dsc", 0x31);
        var pinVariable = "VAXCERT_TEST_SERVER_PIN_" + hsm.TokenLabel.Replace('-', '_');
        Environment.SetEnvironmentVariable(pinVariable, hsm.UserPin);
        var settings = ServerHost.Settings();
        settings.Signer = new() { Pkcs11Module = hsm.ModulePath, Token = hsm.TokenLabel, Key = "server-dsc", PinEnv = pinVariable };
        await using var server = await ServerHost.StartAsync(settings);
        using var channel = ServerHost.Channel(server);

        var submission = Submissions.Valid(800);
        var response = await new Issuer.IssuerClient(channel).IssueAsync(Requests.From(submission));

        Assert.Equal(key.Certificate.RawData, server.Service.Signer.Certificate.RawData);
        var verdict = new TwoLevelVerifier([key.Certificate], new FacilityAttestationVerifier(server.Service.Trust.FacilityTrust))
            .Verify(response.Hc1, DateTimeOffset.UtcNow);
        Assert.True(verdict.IsValid, verdict.ToString());
        var health = await new HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task A_wrong_PIN_refuses_to_start_with_a_clear_message_that_does_not_contain_the_PIN()
    {
        hsm.ProvisionEc("server-dsc-2", 0x32);
        var pinVariable = "VAXCERT_TEST_SERVER_BADPIN_" + hsm.TokenLabel.Replace('-', '_');
        Environment.SetEnvironmentVariable(pinVariable, "wrong-pin-1234");
        var settings = ServerHost.Settings();
        settings.Signer = new() { Pkcs11Module = hsm.ModulePath, Token = hsm.TokenLabel, Key = "server-dsc-2", PinEnv = pinVariable };
        var e = await Assert.ThrowsAsync<VaxCert.Server.Hosting.ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Contains("signing key", e.Message);
        Assert.DoesNotContain("wrong-pin-1234", e.ToString());
    }
}
