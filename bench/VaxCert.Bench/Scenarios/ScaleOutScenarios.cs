using System.Diagnostics;
using VaxCert.Ledger;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The scale-out path of issue 11: several issuing nodes sharing one PostgreSQL ledger. Each node is its own
/// <see cref="PostgresLedger"/> (its own commit queue, as a separate server process has) writing 256-record groups with two
/// groups in flight, as IssueBatch does; signing is left out, so this is the database's ceiling for group-committed
/// certificates, the number a multi-node estimate must stay under. Subject: 4 nodes at once; baseline: 1 node, alternating
/// rounds in the same run. Runs when VAXCERT_BENCH_PG_CONN is set; every record must come back newly issued and the audit
/// chain must verify afterwards.
/// </summary>
public static class ScaleOutScenarios
{
    private const int GroupRecords = 256;
    private static readonly string Hc1 = "HC1:" + new string('A', 600); // the size of a real ES256 HC1

    public static IEnumerable<Scenario> All
    {
        get
        {
            if (Environment.GetEnvironmentVariable(LedgerScenarios.PostgresVariable) is not { Length: > 0 } pg) yield break;
            yield return new Scenario("ledger-postgres-nodes",
                $"Group-committed records/s, 4 nodes (own ledger instances) on one PostgreSQL vs 1 node, {GroupRecords}-record groups, no signing",
                ctx => Nodes(pg, ctx));
        }
    }

    private static BenchResult Nodes(string connectionString, BenchContext context)
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => PostgresLedger.OpenAsync(connectionString).GetAwaiter().GetResult()).ToArray();
        try
        {
            long next = 0;
            Rate(nodes[..1], () => Interlocked.Increment(ref next), TimeSpan.FromSeconds(1)); // warm pools and JIT
            var four = new List<double>();
            var one = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                four.Add(Rate(nodes, () => Interlocked.Increment(ref next), context.Duration / 6));
                one.Add(Rate(nodes[..1], () => Interlocked.Increment(ref next), context.Duration / 6));
            }
            var report = nodes[0].VerifyAuditChainAsync().GetAwaiter().GetResult();
            if (!report.Intact) throw new InvalidOperationException("audit chain broken after the scale-out run: " + report.FirstBreak);
            return new BenchResult("ledger-postgres-nodes", four.Order().ElementAt(1), "1 node, same database", one.Order().ElementAt(1),
                new Dictionary<string, object> { ["nodes"] = nodes.Length, ["group_records"] = GroupRecords, ["audit_entries_checked"] = report.EntriesChecked });
        }
        finally
        {
            foreach (var node in nodes) node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Records/s over all nodes: each node keeps two groups in flight until the time is up.</summary>
    private static double Rate(IReadOnlyList<ICertificateLedger> nodes, Func<long> next, TimeSpan span)
    {
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        Task.WaitAll(nodes.SelectMany(node => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (stopwatch.Elapsed < span)
            {
                var group = Enumerable.Range(0, GroupRecords).Select(_ => Certificate(next())).ToList();
                var results = await node.RecordIssuedManyAsync(group);
                if (results.Any(r => r.Outcome != RecordOutcome.Recorded))
                    throw new InvalidOperationException("a fresh record did not come back as recorded: " + results.First(r => r.Outcome != RecordOutcome.Recorded).Outcome);
                Interlocked.Add(ref done, group.Count);
            }
        }))).ToArray());
        return done / stopwatch.Elapsed.TotalSeconds;
    }

    // LedgerScenarios' rows (its run id keeps keys apart from earlier runs; the offset from its other scenarios writing to the
    // same database in this process), with an HC1 of a real certificate's size.
    private static CertificateToRecord Certificate(long i) => LedgerScenarios.Certificate(500_000_000_000 + i) with { Hc1 = Hc1 };
}
