using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using VaxCert.Ledger;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Ledger throughput: recording a certificate (idempotency check + audit append, one durable transaction) against a
/// plain autocommit INSERT of the same row into a table with no audit and no idempotency key, on the same engine and
/// durability settings; plus audit-chain verification speed. PostgreSQL runs only when VAXCERT_BENCH_PG_CONN is set.
/// </summary>
public static class LedgerScenarios
{
    /// <summary>Environment variable with an Npgsql connection string to a scratch database for the PostgreSQL scenario.</summary>
    public const string PostgresVariable = "VAXCERT_BENCH_PG_CONN";

    public static IEnumerable<Scenario> All
    {
        get
        {
            yield return new Scenario("ledger-sqlite-record", "Record one certificate in the SQLite ledger (WAL, synchronous=FULL) vs a plain INSERT",
                ctx => OnSqlite(ctx, (ledger, plain) => Compare("ledger-sqlite-record", ledger, plain, "BLOB", "INTEGER", ctx)));
            yield return new Scenario("ledger-sqlite-record-4-writers", "Records/s with 4 concurrent writers vs 1 writer, SQLite",
                ctx => OnSqlite(ctx, (ledger, _) => Concurrency("ledger-sqlite-record-4-writers", ledger, ctx)));
            yield return new Scenario("ledger-sqlite-verify", "Audit chain verification, entries/s, vs a plain scan of the same rows",
                VerifySqlite);
            if (Environment.GetEnvironmentVariable(PostgresVariable) is not { Length: > 0 } pg)
                yield break;
            yield return new Scenario("ledger-postgres-record", "Record one certificate in the PostgreSQL ledger vs a plain INSERT",
                ctx => OnPostgres(pg, (ledger, plain) => Compare("ledger-postgres-record", ledger, plain, "BYTEA", "TIMESTAMPTZ", ctx)));
            yield return new Scenario("ledger-postgres-record-4-writers", "Records/s with 4 concurrent writers vs 1 writer, PostgreSQL",
                ctx => OnPostgres(pg, (ledger, _) => Concurrency("ledger-postgres-record-4-writers", ledger, ctx)));
        }
    }

    private static BenchResult OnSqlite(BenchContext ctx, Func<ICertificateLedger, DbConnection, BenchResult> run)
    {
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-ledger-").FullName;
        try
        {
            using var plain = new SqliteConnection($"Data Source={Path.Combine(dir, "plain.db")}");
            plain.Open();
            Exec(plain, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            return WithLedger(SqliteLedger.OpenAsync(Path.Combine(dir, "ledger.db")), ledger => run(ledger, plain));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static BenchResult OnPostgres(string connectionString, Func<ICertificateLedger, DbConnection, BenchResult> run)
    {
        using var plain = new NpgsqlConnection(connectionString);
        plain.Open();
        Exec(plain, "DROP TABLE IF EXISTS bench_plain_certificates");
        return WithLedger(PostgresLedger.OpenAsync(connectionString), ledger => run(ledger, plain));
    }

    /// <summary>Subject: RecordIssuedAsync; baseline: INSERT of the same columns; both single-threaded, alternating rounds.</summary>
    private static BenchResult Compare(string name, ICertificateLedger ledger, DbConnection plain, string bytes, string time, BenchContext ctx)
    {
        Exec(plain, $"""
            CREATE TABLE bench_plain_certificates (uvci TEXT, facility_code TEXT, facility_record_id TEXT, record_hash {bytes},
                facility_attestation {bytes}, signer_kid {bytes}, issued_at {time}, expires_at {time}, hc1 TEXT, status TEXT)
            """);
        long n = 0;
        using var insert = plain.CreateCommand();
        insert.CommandText = "INSERT INTO bench_plain_certificates VALUES (@u, @f, @r, @h, @a, @k, @i, @e, @hc1, 'issued')";
        foreach (var p in new[] { "@u", "@f", "@r", "@h", "@a", "@k", "@i", "@e", "@hc1" })
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = p;
            insert.Parameters.Add(parameter);
        }
        var (subject, baseline) = Measure.Paired(
            () => Sync(ledger.RecordIssuedAsync(Certificate(Interlocked.Increment(ref n)))),
            () =>
            {
                var c = Certificate(Interlocked.Increment(ref n));
                object[] values = [c.Uvci, c.FacilityCode, c.FacilityRecordId, c.RecordHash, c.FacilityAttestation, c.SignerKid,
                    time == "INTEGER" ? LedgerTime.ToUnixMicroseconds(c.IssuedAt) : c.IssuedAt.UtcDateTime,
                    time == "INTEGER" ? LedgerTime.ToUnixMicroseconds(c.ExpiresAt) : c.ExpiresAt.UtcDateTime, c.Hc1];
                for (var i = 0; i < values.Length; i++) insert.Parameters[i].Value = values[i];
                insert.ExecuteNonQuery();
            },
            ctx.Duration);
        RequireIntactChain(ledger);
        return new BenchResult(name, subject, "plain INSERT, no audit/idempotency", baseline);
    }

    /// <summary>Subject: four writers at once; baseline: one writer; alternating rounds. The ledger serializes appends.</summary>
    private static BenchResult Concurrency(string name, ICertificateLedger ledger, BenchContext ctx)
    {
        long n = 0;
        var four = new List<double>();
        var one = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            four.Add(ConcurrentRate(ledger, 4, () => Interlocked.Increment(ref n), ctx.Duration / 6));
            one.Add(ConcurrentRate(ledger, 1, () => Interlocked.Increment(ref n), ctx.Duration / 6));
        }
        RequireIntactChain(ledger);
        return new BenchResult(name, four.Order().ElementAt(1), "same ledger, 1 writer", one.Order().ElementAt(1));
    }

    private static void RequireIntactChain(ICertificateLedger ledger)
    {
        var report = Sync(ledger.VerifyAuditChainAsync());
        if (!report.Intact)
            throw new InvalidOperationException("audit chain broken after the bench run: " + report.FirstBreak);
    }

    /// <summary>Records/s with the given number of concurrent writers.</summary>
    private static double ConcurrentRate(ICertificateLedger ledger, int writers, Func<long> next, TimeSpan span)
    {
        long done = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Task.WaitAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (stopwatch.Elapsed < span)
            {
                await ledger.RecordIssuedAsync(Certificate(next()));
                Interlocked.Increment(ref done);
            }
        })).ToArray());
        return done / stopwatch.Elapsed.TotalSeconds;
    }

    private static BenchResult VerifySqlite(BenchContext ctx)
    {
        const int entries = 20_000;
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-verify-").FullName;
        try
        {
            var path = Path.Combine(dir, "ledger.db");
            WithLedger(SqliteLedger.OpenAsync(path), ledger =>
            {
                Task.WaitAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var i = w; i < entries; i += 4)
                        await ledger.RecordIssuedAsync(Certificate(i));
                })).ToArray());
                return 0;
            });
            using var scan = new SqliteConnection($"Data Source={path}");
            scan.Open();
            var (subject, baseline) = WithLedger(SqliteLedger.OpenAsync(path), verifier => Measure.Paired(
                () => Sync(verifier.VerifyAuditChainAsync()),
                () =>
                {
                    using var command = scan.CreateCommand();
                    command.CommandText = "SELECT seq, time, event, subject, facility, details, prev_hash, entry_hash FROM audit_log ORDER BY seq";
                    using var reader = command.ExecuteReader();
                    while (reader.Read()) _ = reader.GetFieldValue<byte[]>(7);
                },
                ctx.Duration, rounds: 3));
            var entriesPerSecond = subject * entries;
            return new BenchResult("ledger-sqlite-verify", entriesPerSecond, "plain ordered scan of audit_log", baseline * entries);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A distinct, realistic-size certificate row number <paramref name="i"/> of this run (also used by MerkleScenarios).</summary>
    internal static CertificateToRecord Certificate(long i) => new(
        Uvci: $"URN:UVCI:01:VN:B{RunId}{i:D12}",
        FacilityCode: "BENCH-" + (i % 50),
        FacilityRecordId: $"rec-{RunId}-{i}",
        RecordHash: SHA256.HashData(Encoding.ASCII.GetBytes("record " + i)),
        FacilityAttestation: new byte[72],
        SignerKid: new byte[8],
        IssuedAt: DateTimeOffset.UtcNow,
        ExpiresAt: DateTimeOffset.UtcNow.AddYears(1),
        Hc1: "HC1:" + new string('A', 400));

    private static void Exec(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // The bench harness measures synchronous actions; the ledger API is async all the way down.
    private static T Sync<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static TResult WithLedger<TLedger, TResult>(Task<TLedger> open, Func<ICertificateLedger, TResult> use) where TLedger : ICertificateLedger
    {
        var ledger = Sync(open);
        try
        {
            return use(ledger);
        }
        finally
        {
            ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
