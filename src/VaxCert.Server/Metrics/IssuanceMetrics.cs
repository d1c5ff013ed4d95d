using System.Diagnostics;
using Prometheus;

namespace VaxCert.Server.Metrics;

/// <summary>
/// The server's Prometheus metrics (docs/operations.md, "Metrics"), in a registry of its own per server (tests run several
/// servers in one process). Counts and timings only: no UVCI, record id, name or identity number is ever a label.
/// <list type="bullet">
/// <item><c>vaxcert_certificates_issued_total{replay="false|true"}</c>: certificates handed out over gRPC (new, or a replay
/// of one already issued).</item>
/// <item><c>vaxcert_certificates_refused_total{reason}</c>: refusals by reason code (the gRPC ErrorInfo reason).</item>
/// <item><c>vaxcert_signer_seconds</c>: one signature by the DSC (software key, token or HSM), start-up probes included.</item>
/// <item><c>vaxcert_ledger_commit_seconds</c>: one durable ledger write as its caller waits for it (a unary certificate, or one IssueBatch chunk written as a group).</item>
/// <item><c>vaxcert_issue_batch_records</c>: records per IssueBatch call.</item>
/// </list>
/// </summary>
public sealed class IssuanceMetrics
{
    private static readonly double[] LatencyBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter _issued;
    private readonly Counter _refused;
    private readonly Histogram _signer;
    private readonly Histogram _ledgerCommit;
    private readonly Histogram _batch;

    public IssuanceMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _issued = factory.CreateCounter("vaxcert_certificates_issued_total", "Certificates handed out over gRPC.",
            new CounterConfiguration { LabelNames = ["replay"] });
        _refused = factory.CreateCounter("vaxcert_certificates_refused_total", "Issue requests refused, by reason code.",
            new CounterConfiguration { LabelNames = ["reason"] });
        _signer = factory.CreateHistogram("vaxcert_signer_seconds", "Time of one DSC signature.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _ledgerCommit = factory.CreateHistogram("vaxcert_ledger_commit_seconds", "Time a caller waits for its durable ledger write (one certificate, or one IssueBatch chunk).",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _batch = factory.CreateHistogram("vaxcert_issue_batch_records", "Records per IssueBatch call.",
            new HistogramConfiguration { Buckets = [1, 10, 50, 100, 500, 1000, 5000, 10000] });
        // Series exist from the start, so a dashboard shows 0 rather than "no data" before the first issue.
        _issued.WithLabels("false");
        _issued.WithLabels("true");
    }

    /// <summary>The registry the /metrics endpoint exports.</summary>
    public CollectorRegistry Registry { get; }

    public void Issued(bool replay) => _issued.WithLabels(replay ? "true" : "false").Inc();

    public void Refused(string reason) => _refused.WithLabels(string.IsNullOrEmpty(reason) ? "UNKNOWN" : reason).Inc();

    public void BatchSize(int records) => _batch.Observe(records);

    public void SignerTime(TimeSpan elapsed) => _signer.Observe(elapsed.TotalSeconds);

    public void LedgerCommitTime(TimeSpan elapsed) => _ledgerCommit.Observe(elapsed.TotalSeconds);

    /// <summary>Writes the Prometheus text exposition format.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default) =>
        Registry.CollectAndExportAsTextAsync(output, cancellationToken);

    /// <summary>Content type of <see cref="WriteAsync"/>.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    internal static TimeSpan Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp);
}
