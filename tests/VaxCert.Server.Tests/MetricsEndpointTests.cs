using System.Globalization;
using Grpc.Core;
using VaxCert.Grpc.V1;
using VaxCert.Server.Tests.Support;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 14: the server exports Prometheus text on a /metrics listener of its own: issued and refused certificates by
/// reason, signer and ledger-commit latency, batch sizes. Scraped over HTTP after real gRPC calls.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scraping_after_issuing_over_grpc_shows_issued_refused_latencies_and_batch_sizes()
    {
        var settings = ServerHost.Settings();
        settings.MetricsListen = "127.0.0.1:0";
        await using var server = await ServerHost.StartAsync(settings);
        Assert.NotNull(server.MetricsAddress);
        using var channel = ServerHost.Channel(server);
        var client = new Issuer.IssuerClient(channel);

        await client.IssueAsync(Requests.From(Submissions.Valid(900)));
        await client.IssueAsync(Requests.From(Submissions.Valid(900))); // replay: the stored certificate again
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.IssueAsync(Requests.From(Submissions.Valid(901, recordId: "001187012345"))));
        Assert.Equal("RECORD_ID_LOOKS_LIKE_PERSONAL_ID", ServerHost.Failure(refused).Reason);
        using (var batch = client.IssueBatch(Requests.Batch(910, 3)))
            Assert.Equal(3, (await batch.ResponseStream.ReadAllAsync().ToListAsync()).Count(r => r.Issued is not null));

        using var http = new HttpClient();
        var response = await http.GetAsync(server.MetricsAddress);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

        Assert.Equal(4, samples["vaxcert_certificates_issued_total{replay=\"false\"}"]);
        Assert.Equal(1, samples["vaxcert_certificates_issued_total{replay=\"true\"}"]);
        Assert.Equal(1, samples["vaxcert_certificates_refused_total{reason=\"RECORD_ID_LOOKS_LIKE_PERSONAL_ID\"}"]);
        // One durable write per unary certificate and one per IssueBatch chunk (group commit); a replay writes nothing.
        Assert.Equal(2, samples["vaxcert_ledger_commit_seconds_count"]);
        Assert.True(samples["vaxcert_ledger_commit_seconds_sum"] > 0);
        Assert.True(samples["vaxcert_signer_seconds_count"] >= 4); // the four new certificates, plus start-up and health probes
        Assert.Equal(1, samples["vaxcert_issue_batch_records_count"]);
        Assert.Equal(3, samples["vaxcert_issue_batch_records_sum"]);
        // Counts only: neither record ids nor the refused identity-like id ever become labels.
        Assert.DoesNotContain("R-900", text);
        Assert.DoesNotContain("001187012345", text);

        // The metrics listener serves /metrics and nothing else.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.MetricsAddress!, "/vaxcert.v1.Issuer/Issue"))).StatusCode);
    }

    [Fact]
    public async Task Without_metrics_listen_there_is_no_metrics_endpoint()
    {
        await using var server = await ServerHost.StartAsync(ServerHost.Settings());
        Assert.Null(server.MetricsAddress);
    }
}
