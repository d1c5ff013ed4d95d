using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using VaxCert.Core.Decoding;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 11: the Reissue RPC over Grpc.Net.Client with mTLS callers as deployed: operator/admin only (a facility caller and
/// an operator of another facility are refused and nothing is re-issued), one certificate, a wave, idempotent reruns, the
/// old certificate kept and linked, typed refusals, the audit chain intact.
/// </summary>
public sealed class ReissueGrpcTests : IAsyncLifetime
{
    private OperatorServer _host = null!;

    private IssuerServer _server => _host.Server;

    public async Task InitializeAsync() => _host = await OperatorServer.StartAsync("reissue");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Reissue_is_refused_to_facility_callers_and_to_operators_of_other_facilities_and_reissues_nothing()
    {
        var hanoi = await IssueAsync("facility-HN001", 800, 801);
        var saigon = await IssueAsync("facility-HCM01", 802);
        var wave = new ReissueWave { ExpiringBefore = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMonths(6)) };
        foreach (var (cn, request) in new[]
                 {
                     ("facility-HN001", new ReissueRequest { Uvci = hanoi[0].Uvci }),
                     ("facility-HN001", new ReissueRequest { Wave = new ReissueWave(wave) { FacilityCode = "HN001" } }),
                     ("operator-HN", new ReissueRequest { Wave = wave }),                                      // all facilities
                     ("operator-HN", new ReissueRequest { Wave = new ReissueWave(wave) { FacilityCode = "HCM01" } }),
                 })
        {
            var denied = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(Client(cn), request));
            Assert.Equal((StatusCode.PermissionDenied, "REISSUE_NOT_ALLOWED"), (denied.StatusCode, ServerHost.Failure(denied).Reason));
        }
        var other = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(Client("operator-HN"), new ReissueRequest { Uvci = saigon[0].Uvci }));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(3, (await _server.Service.Ledger.GetCountsAsync()).Certificates);
    }

    [Fact]
    public async Task One_certificate_is_reissued_once_with_a_new_uvci_and_a_year_of_validity_and_the_old_one_is_kept()
    {
        var old = (await IssueAsync("facility-HN001", 810))[0];
        var ops = Client("operator-HN");

        var first = await DrainAsync(ops, new ReissueRequest { Uvci = old.Uvci, WantHc1 = true });
        var result = Assert.Single(first.SelectMany(p => p.Results));
        Assert.Equal((ReissueStatus.Reissued, 2), (result.Status, result.Generation));
        Assert.NotEqual(old.Uvci, result.NewUvci);
        Assert.True(first[^1].Finished);
        var decoded = Hc1Decoder.Decode(result.Hc1);
        Assert.True(decoded.Success, decoded.Failure.ToString());
        Assert.Equal(result.NewUvci, decoded.Dcc!["v"]![0]!["ci"]!.GetValue<string>());
        Assert.InRange(decoded.Claims!.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMonths(12).AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(12));
        Assert.Equal(old.Hc1, (await ops.GetCertificateAsync(new GetCertificateRequest { Uvci = old.Uvci })).Hc1); // kept, valid
        Assert.False((await ops.GetCertificateAsync(new GetCertificateRequest { Uvci = old.Uvci })).Revoked);
        Assert.Equal(result.Hc1, (await ops.GetCertificateAsync(new GetCertificateRequest { Uvci = result.NewUvci })).Hc1);

        var again = Assert.Single((await DrainAsync(ops, new ReissueRequest { Uvci = old.Uvci })).SelectMany(p => p.Results));
        Assert.Equal((ReissueStatus.AlreadyReissued, result.NewUvci), (again.Status, again.NewUvci));

        var ledger = _server.Service.Ledger;
        Assert.Equal(old.Uvci, (await ledger.FindByUvciAsync(result.NewUvci))!.Certificate.ReissueOf);
        var events = new List<string>();
        await foreach (var e in ledger.ReadAuditAsync()) events.Add(e.Event);
        Assert.Equal(["Issued", "Reissued", "BulkReissued", "BulkReissued"], events);
        var chain = await ledger.VerifyAuditChainAsync();
        Assert.True(chain.Intact, chain.FirstBreak?.Detail);

        var missing = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(ops, new ReissueRequest { Uvci = "URN:UVCI:01:VN:HN001/NOPE#X" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_wave_reissues_every_expiring_certificate_once_skips_revoked_ones_and_refuses_a_bound_it_would_reselect()
    {
        var hanoi = await IssueAsync("facility-HN001", 820, 821, 822);
        var saigon = await IssueAsync("facility-HCM01", 823);
        await Client("facility-HN001").RevokeAsync(new RevokeRequest { Uvci = hanoi[2].Uvci, Reason = "data-error" });
        var admin = Client("ministry-admin");
        var tooLate = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(admin,
            new ReissueRequest { Wave = new ReissueWave { ExpiringBefore = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMonths(13)) } }));
        Assert.Equal((StatusCode.InvalidArgument, "EXPIRING_BEFORE_TOO_LATE", "expiring_before"), ServerHost.Failure(tooLate));

        await Task.Delay(1100); // the bound is whole seconds; every certificate issued above must expire strictly before it
        var before = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMonths(12));
        var wave = new ReissueRequest { Wave = new ReissueWave { ExpiringBefore = before } };
        var progress = await DrainAsync(admin, wave);
        var results = progress.SelectMany(p => p.Results).ToDictionary(r => r.Uvci);
        Assert.Equal(4, results.Count);
        Assert.Equal(ReissueStatus.Failed, results[hanoi[2].Uvci].Status);
        Assert.Equal("REVOKED", results[hanoi[2].Uvci].Reason);
        Assert.All(new[] { hanoi[0], hanoi[1], saigon[0] }, c => Assert.Equal(ReissueStatus.Reissued, results[c.Uvci].Status));
        var last = progress[^1];
        Assert.Equal((4L, 4L, 3L, 0L, 1L, true), (last.Done, last.Total, last.Reissued, last.AlreadyReissued, last.Failed, last.Finished));
        Assert.True(last.AuditSeq > 0);

        // Rerun: nothing new; resuming after the last cursor: nothing left.
        var rerun = (await DrainAsync(admin, wave))[^1];
        Assert.Equal((0L, 3L, 1L), (rerun.Reissued, rerun.AlreadyReissued, rerun.Failed));
        var resumed = await DrainAsync(admin, new ReissueRequest(wave) { Cursor = last.Cursor });
        Assert.Equal((4L, 4L, 0L), (resumed[^1].Done, resumed[^1].Total, resumed[^1].Reissued));
        Assert.Equal(4 + 3, (await _server.Service.Ledger.GetCountsAsync()).Certificates);
        var chain = await _server.Service.Ledger.VerifyAuditChainAsync();
        Assert.True(chain.Intact, chain.FirstBreak?.Detail);
    }

    private static async Task<List<ReissueProgress>> DrainAsync(Issuer.IssuerClient client, ReissueRequest request)
    {
        using var call = client.Reissue(request);
        var all = new List<ReissueProgress>();
        await foreach (var p in call.ResponseStream.ReadAllAsync())
            all.Add(p);
        return all;
    }

    private Task<List<IssueResponse>> IssueAsync(string cn, params int[] seeds) => _host.IssueAsync(cn, seeds);

    private Issuer.IssuerClient Client(string cn) => _host.Client(cn);
}
