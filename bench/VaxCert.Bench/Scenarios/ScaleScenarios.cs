using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// National scale (issue 11): certificates/s through IssueBatch over gRPC loopback with the software dev ES256 DSC, the
/// facility co-signature checked per record and a durable ledger (group commit), against the bare single-thread ES256
/// signature rate measured in the same run (before and after, averaged). Target: SQLite >= 0.35x, PostgreSQL >= 0.2x
/// of the bare rate, i.e. ratio (bare/subject) <= 2.86 and <= 5. PostgreSQL runs when VAXCERT_BENCH_PG_CONN is set.
/// </summary>
public static class ScaleScenarios
{
    private const int BatchRecords = 5_000;

    public static IEnumerable<Scenario> All
    {
        get
        {
            yield return new Scenario("issuebatch-grpc-sqlite", $"IssueBatch ({BatchRecords}-record calls) over gRPC, SQLite group commit, vs bare ES256 sign",
                ctx => Run(ctx, "issuebatch-grpc-sqlite", dir => "sqlite:" + Path.Combine(dir, "ledger.db"), "SQLite WAL synchronous=FULL", 0.35));
            if (Environment.GetEnvironmentVariable(LedgerScenarios.PostgresVariable) is { Length: > 0 } pg)
                yield return new Scenario("issuebatch-grpc-postgres", $"IssueBatch ({BatchRecords}-record calls) over gRPC, PostgreSQL group commit, vs bare ES256 sign",
                    ctx => Run(ctx, "issuebatch-grpc-postgres", _ => "postgres:" + FreshSchema(pg), "PostgreSQL synchronous_commit=on", 0.2));
        }
    }

    private static BenchResult Run(BenchContext context, string name, Func<string, string> ledgerFor, string ledgerText, double target)
    {
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        using var dsc = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(keys, DevPkiLayout.DscEs256Certificate));
        using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.FacilityCertificate("HN001")),
            Path.Combine(keys, DevPkiLayout.FacilityKey("HN001")));
        var bare = BareSignRate(dsc, context.Duration / 2);
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-scale-").FullName;
        try
        {
            var settings = new ServerSettings
            {
                KeysDir = keys, Dev = true, Listen = "127.0.0.1:0", Ledger = ledgerFor(dir),
                RateLimit = new RateLimitSettings { PerSecond = 1e9, Burst = 1e9 },
            };
            var (rate, records, coreUs, warmup, jitInWindow) = Task.Run(() => OverGrpc(settings, facility, context.Duration)).GetAwaiter().GetResult();
            bare = (bare + BareSignRate(dsc, context.Duration / 2)) / 2;
            return new BenchResult(name, rate, "bare ECDsa.SignData P-256, 1 thread, same DSC key, 320-byte payload", bare,
                new Dictionary<string, object>
                {
                    ["records"] = records, ["batch_records"] = BatchRecords, ["ledger"] = ledgerText,
                    // Process CPU (client and server share it) per certificate while batches were in flight, and how much
                    // of the machine's cores that kept busy: low utilisation means stalls, high means cost.
                    ["core_us_per_cert"] = Math.Round(coreUs, 1),
                    ["cpu_utilisation"] = Math.Round(coreUs * rate / 1e6 / Environment.ProcessorCount, 3),
                    ["warmup_batches"] = warmup.Batches, ["warmup_seconds"] = Math.Round(warmup.Seconds, 1),
                    // JIT time inside the timed batches, as a share of their wall time (steady state: ~0).
                    ["jit_share_in_window"] = Math.Round(jitInWindow, 4),
                    ["fraction_of_bare"] = rate / bare, ["target_fraction"] = target, ["met"] = rate / bare >= target,
                });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>The bare single-thread ES256 signature rate with the dev DSC key (the baseline of the national-scale scenarios).</summary>
    internal static double BareSignRate(X509Certificate2? dsc, TimeSpan span)
    {
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        using var withKey = X509Certificate2.CreateFromPemFile(Path.Combine(keys, DevPkiLayout.DscEs256Certificate), Path.Combine(keys, DevPkiLayout.DscEs256Key));
        using var signer = withKey.GetECDsaPrivateKey()!;
        var payload = new byte[320];
        RandomNumberGenerator.Fill(payload);
        return Measure.OpsPerSecond(() => signer.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), span);
    }

    /// <summary>Warm-up until the JIT has settled, then whole batches until <paramref name="duration"/> has passed; every result must be a new certificate.</summary>
    private static async Task<(double Rate, int Records, double CoreUsPerCert, Warmup Warmup, double JitShare)> OverGrpc(ServerSettings settings, SoftwareCoseSigner facility, TimeSpan duration)
    {
        await using var server = await IssuerServer.StartAsync(settings, logging => { });
        using var channel = GrpcChannels.Create(server.Address);
        var issuer = new Issuer.IssuerClient(channel);
        var run = Guid.NewGuid().ToString("N")[..8];
        var warmup = await WarmUpAsync(issuer, facility, run);
        var total = 0;
        var clock = new Stopwatch();
        var cpu = TimeSpan.Zero;
        var jit = TimeSpan.Zero;
        using var self = Process.GetCurrentProcess();
        for (var b = 0; b == 0 || clock.Elapsed < duration; b++)
        {
            var batch = Batch(facility, $"{run}-{b}", BatchRecords); // co-signing is the facility's work: not timed
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            clock.Start();
            total += await SendAsync(issuer, batch);
            clock.Stop();
            jit += System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
            self.Refresh();
            cpu += self.TotalProcessorTime - cpuBefore;
        }
        return (total / clock.Elapsed.TotalSeconds, total, cpu.TotalMicroseconds / total, warmup, jit / clock.Elapsed);
    }

    /// <summary>
    /// Batches until the JIT has settled: a national-scale node runs for hours, so the rate that matters is the steady
    /// one, not the first seconds in which tiered compilation (Kestrel, gRPC, SQLite, our code: ~5,000 tier-1 methods)
    /// takes up to half a core. Settled = a batch during which the JIT spent under 2% of the batch's wall time.
    /// </summary>
    private static async Task<Warmup> WarmUpAsync(Issuer.IssuerClient issuer, SoftwareCoseSigner facility, string run)
    {
        var clock = Stopwatch.StartNew();
        for (var b = 0; ; b++)
        {
            var batch = Batch(facility, $"warm-{run}-{b}", b == 0 ? 500 : BatchRecords);
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            var sent = Stopwatch.StartNew();
            await SendAsync(issuer, batch);
            var jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
            if (b > 0 && jit < sent.Elapsed * 0.02 || clock.Elapsed > MaxWarmup)
                return new Warmup(b + 1, clock.Elapsed.TotalSeconds);
        }
    }

    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    private sealed record Warmup(int Batches, double Seconds);

    private static IssueBatchRequest Batch(SoftwareCoseSigner facility, string prefix, int n)
    {
        var batch = new IssueBatchRequest();
        batch.Records.AddRange(Enumerable.Range(0, n).Select(i => ServerScenarios.ToRequest(ServerScenarios.CoSign(facility, $"{prefix}-{i}"))));
        return batch;
    }

    private static async Task<int> SendAsync(Issuer.IssuerClient issuer, IssueBatchRequest batch)
    {
        var n = 0;
        using var call = issuer.IssueBatch(batch);
        await foreach (var r in call.ResponseStream.ReadAllAsync())
        {
            if (r.OutcomeCase != IssueBatchResult.OutcomeOneofCase.Issued || r.Issued.AlreadyIssued)
                throw new InvalidOperationException($"bench record {r.Index} not newly issued: {r.Refused?.Reason}");
            n++;
        }
        return n == batch.Records.Count ? n : throw new InvalidOperationException($"IssueBatch returned {n} of {batch.Records.Count}");
    }

    /// <summary>A fresh schema per run so the ledger starts empty (search_path in the connection string).</summary>
    internal static string FreshSchema(string connectionString)
    {
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
        using (var c = new Npgsql.NpgsqlConnection(connectionString))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"CREATE SCHEMA {schema}";
            cmd.ExecuteNonQuery();
        }
        return connectionString + $";Search Path={schema}";
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VaxCert.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("VaxCert.sln not found; run the bench from the repository");
    }
}
