using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using VaxCert.Ledger;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The Merkle audit log's cost on the write path (docs/performance.md, "Merkle audit log"): group commits of 512 records
/// on three SQLite ledgers in alternating rounds, one with the Merkle nodes and a signed tree head per commit (what
/// <c>serve</c> does with an audit log key), one with the nodes only, and the same-run baseline without either. Then the
/// time to build proofs at the size reached, and how many stored subtrees a proof reads at 80 million entries.
/// </summary>
public static class MerkleScenarios
{
    private const int Group = 512;

    public static IEnumerable<Scenario> All
    {
        get
        {
            yield return new Scenario("ledger-sqlite-merkle", "Group-commit records/s with Merkle nodes + a signed tree head per commit vs without the Merkle log, SQLite; proof build times",
                GroupCommitSqlite);
        }
    }

    private static BenchResult GroupCommitSqlite(BenchContext ctx)
    {
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-merkle-").FullName;
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signed = Sync(SqliteLedger.OpenAsync(Path.Combine(dir, "signed.db")));
            var nodes = Sync(SqliteLedger.OpenAsync(Path.Combine(dir, "nodes.db")));
            var plain = Sync(SqliteLedger.OpenAsync(Path.Combine(dir, "plain.db")));
            try
            {
                signed.CommitSigner = new EcdsaTreeHeadSigner(key);
                plain.SkipMerkleForBaseline = true;
                long next = 0;
                var ledgers = new[] { signed, nodes, plain };
                var rates = ledgers.Select(_ => new List<double>()).ToArray();
                foreach (var l in ledgers) // warm-up
                    Sync(l.RecordIssuedManyAsync(Batch(ref next)));
                const int rounds = 5;
                var perRound = ctx.Duration / (rounds * ledgers.Length);
                for (var r = 0; r < rounds; r++)
                    for (var i = 0; i < ledgers.Length; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        long records = 0;
                        while (sw.Elapsed < perRound)
                        {
                            Sync(ledgers[i].RecordIssuedManyAsync(Batch(ref next)));
                            records += Group;
                        }
                        rates[i].Add(records / sw.Elapsed.TotalSeconds);
                    }
                var median = rates.Select(list => list.Order().ElementAt(list.Count / 2)).ToArray();

                // Proofs at the size the signed ledger reached: O(log n) stored subtrees each.
                var size = Sync(signed.GetLatestTreeHeadAsync())!.TreeSize;
                var random = new Random(7);
                var inclusionMicros = Time(200, () => Sync(signed.GetInclusionProofAsync(random.NextInt64(1, size + 1), size)));
                var consistencyMicros = Time(200, () => Sync(signed.GetConsistencyProofAsync(random.NextInt64(1, size), size)));
                var verifyStart = Stopwatch.StartNew();
                var report = Sync(signed.VerifyMerkleLogAsync(key));
                var verifySeconds = verifyStart.Elapsed.TotalSeconds;
                if (!report.Intact)
                    throw new InvalidOperationException("the Merkle log broke under the benchmark: " + report.FirstBreak);
                const long national = 80_000_000;
                return new BenchResult("ledger-sqlite-merkle", median[0], "same group commits without the Merkle log", median[2],
                    new Dictionary<string, object>
                    {
                        ["group"] = Group,
                        ["nodes_only_records_per_s"] = Math.Round(median[1], 1),
                        ["nodes_only_ratio"] = Math.Round(median[2] / median[1], 3),
                        ["tree_size"] = size,
                        ["tree_heads"] = report.TreeHeads,
                        ["inclusion_proof_us"] = inclusionMicros,
                        ["consistency_proof_us"] = consistencyMicros,
                        ["verify_leaves_per_s"] = Math.Round(report.Leaves / verifySeconds, 1),
                        ["subtrees_read_inclusion_80M"] = MerkleTree.NodesOf(MerkleTree.PlanInclusion(national / 3, national)).Count,
                        ["subtrees_read_consistency_80M"] = MerkleTree.NodesOf(MerkleTree.PlanConsistency(national / 3 + 12345, national)).Count,
                    });
            }
            finally
            {
                foreach (var l in new[] { signed, nodes, plain })
                    l.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Time(int count, Action op)
    {
        op();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
            op();
        return Math.Round(sw.Elapsed.TotalMicroseconds / count, 1);
    }

    private static List<CertificateToRecord> Batch(ref long next)
    {
        var batch = new List<CertificateToRecord>(Group);
        for (var i = 0; i < Group; i++, next++)
            batch.Add(LedgerScenarios.Certificate(next));
        return batch;
    }

    private static T Sync<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
