using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 11: SIGKILL the server in the middle of a re-issue wave, restart it on the same ledger and resume from the last
/// cursor it reported: every selected certificate ends with exactly one generation-2 successor and the chain verifies.
/// </summary>
public sealed class ReissueCrashTests
{
    private const int Certificates = 2500; // five chunks of 512

    [Fact]
    public async Task A_server_killed_mid_reissue_and_resumed_from_its_cursor_reissues_every_certificate_exactly_once()
    {
        var ledger = "sqlite:" + Path.Combine(RepoPaths.NewTempDir("reissue-crash"), "ledger.db");
        ReissueRequest wave;
        string? cursor = null;
        long reportedDone = 0;
        using (var child = await CrashTests.ChildServer.StartAsync(ledger))
        {
            using var channel = GrpcChannels.Create(child.Address);
            var client = new Issuer.IssuerClient(channel);
            using (var issue = client.IssueBatch(Requests.Batch(30_000, Certificates)))
                await foreach (var r in issue.ResponseStream.ReadAllAsync())
                    Assert.Equal(IssueBatchResult.OutcomeOneofCase.Issued, r.OutcomeCase);
            await Task.Delay(1100); // every certificate must expire strictly before the (whole-second) bound
            wave = new ReissueRequest
            {
                Wave = new ReissueWave
                {
                    ExpiringBefore = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMonths(12)),
                },
            };
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = client.Reissue(wave);
                await foreach (var p in call.ResponseStream.ReadAllAsync())
                {
                    if (p.Results.Count == 0) continue;
                    (cursor, reportedDone) = (p.Cursor, p.Done);
                    if (p.Done >= 1024)
                        child.Kill(); // SIGKILL: mid-run, the next chunk signed and perhaps committing
                }
            });
            Assert.NotEqual(StatusCode.OK, error.StatusCode);
        }
        Assert.InRange(reportedDone, 1024, Certificates - 1);

        var resumed = new List<ReissueProgress>();
        using (var child = await CrashTests.ChildServer.StartAsync(ledger))
        {
            using var channel = GrpcChannels.Create(child.Address);
            var client = new Issuer.IssuerClient(channel);
            using (var call = client.Reissue(new ReissueRequest(wave) { Cursor = cursor }))
                await foreach (var p in call.ResponseStream.ReadAllAsync())
                    resumed.Add(p);
            // A rerun from the start re-issues nothing.
            using var rerun = client.Reissue(wave);
            ReissueProgress? last = null;
            await foreach (var p in rerun.ResponseStream.ReadAllAsync())
                last = p;
            Assert.Equal((0L, (long)Certificates, 0L), (last!.Reissued, last.AlreadyReissued, last.Failed));
            child.Kill();
        }

        var end = resumed[^1];
        Assert.True(end.Finished);
        Assert.Equal((long)Certificates, end.Done);
        Assert.Equal(Certificates - reportedDone, end.Reissued + end.AlreadyReissued); // committed-but-unreported ones come back Already
        Assert.Equal(0, end.Failed);

        await using var store = await LedgerSpec.Parse(ledger).OpenAsync();
        var reissue = (IReissueLedger)store;
        var selected = await reissue.ListReissueCandidatesAsync(new ReissueSelection.Expiring(wave.Wave.ExpiringBefore.ToDateTimeOffset(), null), null, 10_000);
        Assert.Equal(Certificates, selected.Count);
        foreach (var c in selected)
        {
            Assert.Equal(1, c.Entry.Certificate.Generation);
            var successor = await reissue.FindReissueOfAsync(c.Entry.Uvci);
            Assert.Equal((2, c.SuccessorUvci), (successor!.Certificate.Generation, successor.Uvci));
        }
        Assert.Equal(2 * Certificates, (await store.GetCountsAsync()).Certificates); // exactly one successor each
        var chain = await store.VerifyAuditChainAsync();
        Assert.True(chain.Intact, chain.FirstBreak?.ToString());
    }
}
