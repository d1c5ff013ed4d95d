using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Re-issue at national scale (issue 11): seed N certificates (default 1,000,000; <c>VAXCERT_BENCH_REISSUE_N</c>) into a
/// durable ledger through its group commit (SQLite in <c>reissue-1m</c>; PostgreSQL in <c>reissue-postgres</c>, a fresh
/// schema of the server <c>VAXCERT_BENCH_PG_CONN</c> names, dropped afterwards), start a re-issue of all of them in a CHILD process, SIGKILL it once it
/// has reported 30 % (<c>VAXCERT_BENCH_REISSUE_KILL_AT</c>), resume in this process from the child's last reported cursor,
/// and time the resumed part: new certificates per second (decode, re-validate, sign with the dev ES256 DSC, group commit).
/// Afterwards every seeded certificate must have exactly one generation-2 successor and the audit chain must verify.
/// Baseline: the bare single-thread ES256 signature rate measured in the same run (before and after, averaged), as in
/// <see cref="ScaleScenarios"/>. Seeded certificates are full HC1s whose COSE signature is a placeholder (64 zero bytes):
/// seeding would otherwise cost as much as the re-issue itself, and re-issue never checks its own stored signatures (the
/// audit chain protects them).
/// </summary>
public static class ReissueScenarios
{
    public const string SizeVariable = "VAXCERT_BENCH_REISSUE_N";
    public const string KillAtVariable = "VAXCERT_BENCH_REISSUE_KILL_AT";

    /// <summary>Argument that turns the bench process into the re-issue child: <c>reissue-child LEDGER EXPIRING_BEFORE_TICKS</c>.</summary>
    public const string ChildMode = "reissue-child";

    public static IEnumerable<Scenario> All
    {
        get
        {
            yield return new Scenario("reissue-1m", "Re-issue every certificate of a 1M-certificate SQLite ledger, SIGKILL at 30 %, resume; vs bare ES256 sign",
                context => Run(context, "reissue-1m", null), RunByDefault: false);
            if (Environment.GetEnvironmentVariable(LedgerScenarios.PostgresVariable) is { Length: > 0 } pg)
                yield return new Scenario("reissue-postgres", "The same as reissue-1m on a PostgreSQL ledger (synchronous_commit=on), in a fresh schema",
                    context => Run(context, "reissue-postgres", "postgres:" + ScaleScenarios.FreshSchema(pg)), RunByDefault: false);
            yield return new Scenario("reissue-stages", "Re-issue per-certificate stage breakdown on one thread (list, decode, map, issue, sign, commit), SQLite ledger",
                Stages, RunByDefault: false);
        }
    }

    /// <param name="spec">A ledger spec (<see cref="LedgerSpec"/>) for an empty store, or null for an SQLite file in a fresh
    /// temporary folder.</param>
    private static BenchResult Run(BenchContext context, string scenario, string? spec)
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable(SizeVariable), CultureInfo.InvariantCulture, out var size) ? size : 1_000_000;
        var killAt = double.TryParse(Environment.GetEnvironmentVariable(KillAtVariable), CultureInfo.InvariantCulture, out var k) ? k : 0.3;
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        var bare = BareSign(context.Duration / 2);
        var dir = spec is null ? Directory.CreateTempSubdirectory("vaxcert-bench-reissue-").FullName : null;
        spec ??= "sqlite:" + Path.Combine(dir!, "ledger.db");
        var ledgerSpec = LedgerSpec.Parse(spec);
        try
        {
            var seedClock = Stopwatch.StartNew();
            Task.Run(() => SeedAsync(spec, n)).GetAwaiter().GetResult();
            var seedSeconds = seedClock.Elapsed.TotalSeconds;
            Thread.Sleep(1100); // the wave's bound is whole seconds: every seeded exp must be strictly before it

            var before = Task.Run(async () =>
            {
                await using var ledger = await OpenExistingAsync(spec);
                using var signer = OpenSigner(keys);
                return Reissuer(ledger, signer).LatestExpiringBefore();
            }).GetAwaiter().GetResult();

            // The child re-issues until it has reported killAt of the wave, then it is SIGKILLed mid-run.
            var (childCursor, childDone, childRate) = RunChildAndKill(spec, before, (long)(n * killAt));

            // Resume in this process from the child's last reported cursor, as an operator would.
            var (report, seconds) = Task.Run(() => ResumeAsync(spec, keys, before, childCursor)).GetAwaiter().GetResult();
            var check = Task.Run(() => CheckAsync(ledgerSpec, n)).GetAwaiter().GetResult();
            bare = (bare + BareSign(context.Duration / 2)) / 2;
            var rate = report.Reissued / seconds;
            return new BenchResult(scenario, rate, "bare ECDsa.SignData P-256, 1 thread, same DSC key, 320-byte payload", bare,
                new Dictionary<string, object>
                {
                    ["certificates"] = n, ["seed_seconds"] = Math.Round(seedSeconds, 1), ["seed_rate"] = Math.Round(n / seedSeconds),
                    ["killed_after_reported"] = childDone, ["child_rate"] = Math.Round(childRate),
                    ["resumed_reissued"] = report.Reissued, ["resumed_already_reissued"] = report.AlreadyReissued, ["resumed_failed"] = report.Failed,
                    ["resumed_seconds"] = Math.Round(seconds, 1), ["handled_rate"] = Math.Round(report.RatePerSecond),
                    ["fraction_of_bare"] = rate / bare, ["generation2"] = check.Generation2, ["without_successor"] = check.WithoutSuccessor,
                    ["audit_verify_seconds"] = Math.Round(check.VerifySeconds, 1), ["audit_entries"] = check.Entries,
                    ["audit_intact"] = check.Intact, ["ledger_bytes"] = check.LedgerBytes, ["cores"] = Environment.ProcessorCount,
                    ["ledger"] = ledgerSpec.Engine == LedgerEngine.Sqlite ? "SQLite WAL synchronous=FULL" : "PostgreSQL synchronous_commit=on",
                });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (dir is not null)
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
            else
                DropSchema(ledgerSpec.Target);
        }
    }

    private static Task<ICertificateLedger> OpenExistingAsync(string spec) => LedgerSpec.Parse(spec).OpenAsync(LedgerOpenMode.ExistingOnly);

    /// <summary>Removes the bench's throwaway schema (and the million rows in it) from the PostgreSQL server.</summary>
    private static void DropSchema(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var schema = builder.SearchPath ?? throw new InvalidOperationException("the bench schema is not in the connection string");
        builder.SearchPath = null;
        using var c = new NpgsqlConnection(builder.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP SCHEMA {schema} CASCADE";
        cmd.ExecuteNonQuery();
    }

    public const string StagesSizeVariable = "VAXCERT_BENCH_REISSUE_STAGES_N";

    /// <summary>
    /// Where one re-issue's time goes: seeds <c>VAXCERT_BENCH_REISSUE_STAGES_N</c> (default 20,000) certificates, then walks
    /// them in 512-certificate chunks on ONE thread, doing what <see cref="CertificateReissuer"/> does per certificate
    /// (list the page, decode the stored HC1, map it back to a record, issue and sign, hash the record, group commit with
    /// the link) and timing each stage. The issue stage is split into sign and the rest by issuing the same record once
    /// more with a signer that does not sign. Rate: certificates per second of the summed stages.
    /// </summary>
    private static BenchResult Stages(BenchContext context)
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable(StagesSizeVariable), CultureInfo.InvariantCulture, out var size) ? size : 20_000;
        var bare = BareSign(context.Duration);
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-stages-").FullName;
        var path = Path.Combine(dir, "ledger.db");
        try
        {
            Task.Run(() => SeedAsync("sqlite:" + path, n)).GetAwaiter().GetResult();
            var t = Task.Run(() => TimeStagesAsync(path)).GetAwaiter().GetResult();
            var total = t.Values.Sum() - t["issue_without_sign"];
            var perCert = t.ToDictionary(kv => kv.Key + "_us", kv => (object)Math.Round(kv.Value / n * 1e6, 1));
            perCert["certificates"] = n;
            return new BenchResult("reissue-stages", n / total, "bare ECDsa.SignData P-256, 1 thread, same DSC key, 320-byte payload", bare, perCert);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static async Task<Dictionary<string, double>> TimeStagesAsync(string path)
    {
        await using var ledger = await SqliteLedger.OpenAsync(path, LedgerOpenMode.ExistingOnly);
        using var signer = OpenSigner(Path.Combine(RepoRoot(), "keys-dev"));
        using var placeholder = new PlaceholderSigner();
        var issuer = Hc1Issuer.Create(signer);
        var unsigned = Hc1Issuer.Create(placeholder);
        var uvcis = new DeterministicUvci("VN");
        var selection = new ReissueSelection.Expiring(DateTimeOffset.UtcNow.AddYears(2), null);
        var stages = new[] { "list", "decode", "map", "issue", "issue_without_sign", "record_hash", "commit" }.ToDictionary(s => s, _ => 0.0);
        var clock = new Stopwatch();
        void Stop(string stage) => stages[stage] += clock.Elapsed.TotalSeconds;
        string? after = null;
        while (true)
        {
            clock.Restart();
            var page = await ledger.ListReissueCandidatesAsync(selection, after, CertificateReissuer.DefaultChunk);
            Stop("list");
            if (page.Count == 0)
                break;
            var batch = new List<CertificateToRecord>(page.Count);
            foreach (var candidate in page)
            {
                var old = candidate.Entry.Certificate;
                clock.Restart();
                var decoded = Hc1Decoder.Decode(old.Hc1);
                Stop("decode");
                clock.Restart();
                var record = DccMapper.TryReadRecord(decoded.Dcc!, decoded.Claims?.Nationality)!;
                Stop("map");
                var recordId = old.FacilityRecordId + CertificateReissuer.GenerationSeparator + "g2";
                var next = record with { CertificateId = uvcis.For(old.FacilityCode, recordId) };
                clock.Restart();
                var c = issuer.Issue(next).Certificate!;
                Stop("issue");
                clock.Restart();
                _ = unsigned.Issue(next);
                Stop("issue_without_sign");
                clock.Restart();
                var hash = RecordHash.Of(c.DccCbor, record.Nationality);
                Stop("record_hash");
                batch.Add(new CertificateToRecord(c.Uvci, old.FacilityCode, recordId, hash, old.FacilityAttestation, c.SignerKeyId,
                    c.IssuedAt, c.ExpiresAt, c.Hc1, 2, old.Uvci));
            }
            clock.Restart();
            var results = await ledger.RecordIssuedManyAsync(batch);
            Stop("commit");
            if (results.Any(r => r.Outcome != RecordOutcome.Recorded))
                throw new InvalidOperationException("reissue-stages: a re-issue was not recorded");
            after = page[^1].Entry.Uvci;
        }
        stages["sign"] = stages["issue"] - stages["issue_without_sign"];
        stages["issue"] -= stages["sign"];
        return stages;
    }

    /// <summary>The child (<c>reissue-child LEDGER_SPEC EXPIRING_BEFORE_TICKS</c>): re-issues the whole wave, printing
    /// "progress DONE CURSOR RATE" after each committed chunk.</summary>
    public static int Child(string[] args)
    {
        var spec = args[1];
        var before = new DateTimeOffset(long.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.Zero);
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        return Task.Run(async () =>
        {
            await using var ledger = await OpenExistingAsync(spec);
            using var signer = OpenSigner(keys);
            await foreach (var r in Reissuer(ledger, signer).RunAsync(new ReissueSelection.Expiring(before, null), null, "bench:child"))
                Console.WriteLine($"progress {r.Done} {r.Cursor ?? "-"} {r.RatePerSecond.ToString("F0", CultureInfo.InvariantCulture)}");
            return 0;
        }).GetAwaiter().GetResult();
    }

    private static (string? Cursor, long Done, double Rate) RunChildAndKill(string spec, DateTimeOffset before, long killAfter)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") // run as "dotnet VaxCert.Bench.dll"
            start.ArgumentList.Add(typeof(ReissueScenarios).Assembly.Location);
        start.ArgumentList.Add(ChildMode);
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add(before.UtcTicks.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start)!;
        string? cursor = null;
        long done = 0;
        double rate = 0;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts is not ["progress", var d, var c, var r])
                continue;
            done = long.Parse(d, CultureInfo.InvariantCulture);
            cursor = c == "-" ? null : c;
            rate = double.Parse(r, CultureInfo.InvariantCulture);
            if (done >= killAfter)
            {
                child.Kill(); // SIGKILL on Unix: no cleanup, mid-chunk
                break;
            }
        }
        child.WaitForExit();
        Console.Error.WriteLine($"reissue: child SIGKILLed after reporting {done:N0} ({rate:N0}/s); resuming after {cursor}");
        return (cursor, done, rate);
    }

    private static async Task<(ReissueReport Report, double Seconds)> ResumeAsync(string spec, string keys, DateTimeOffset before, string? cursor)
    {
        await using var ledger = await OpenExistingAsync(spec);
        using var signer = OpenSigner(keys);
        var clock = Stopwatch.StartNew();
        ReissueReport? last = null;
        var shown = Stopwatch.StartNew();
        await foreach (var r in Reissuer(ledger, signer).RunAsync(new ReissueSelection.Expiring(before, null), cursor, "bench:resume"))
        {
            last = r;
            if (shown.Elapsed.TotalSeconds >= 10)
            {
                Console.Error.WriteLine($"reissue: {r.Done:N0}/{r.Total:N0} {r.RatePerSecond:N0}/s ETA {r.Eta}");
                shown.Restart();
            }
        }
        return (last!, clock.Elapsed.TotalSeconds);
    }

    private sealed record Check(long Generation2, long WithoutSuccessor, long Entries, bool Intact, double VerifySeconds, long LedgerBytes);

    private static async Task<Check> CheckAsync(LedgerSpec spec, int n)
    {
        long gen2, orphans, bytes;
        var sqlite = spec.Engine == LedgerEngine.Sqlite;
        await using (DbConnection c = sqlite ? new SqliteConnection($"Data Source={spec.Target};Mode=ReadOnly") : new NpgsqlConnection(spec.Target))
        {
            await c.OpenAsync();
            await using var q = c.CreateCommand();
            q.CommandText = "SELECT COUNT(*) FROM certificates WHERE generation = 2";
            gen2 = Convert.ToInt64(await q.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            q.CommandText = "SELECT COUNT(*) FROM certificates c WHERE c.generation = 1 AND NOT EXISTS (SELECT 1 FROM certificates s WHERE s.reissue_of = c.uvci)";
            orphans = Convert.ToInt64(await q.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (sqlite)
                bytes = new FileInfo(spec.Target).Length;
            else
            {
                // Tables with their indexes and TOAST, in the bench's schema only.
                q.CommandText = "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                                + "WHERE s.nspname = current_schema() AND c.relkind = 'r'";
                bytes = Convert.ToInt64(await q.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }
        }
        await using var ledger = await spec.OpenAsync(LedgerOpenMode.ExistingOnly);
        var clock = Stopwatch.StartNew();
        var report = await ledger.VerifyAuditChainAsync();
        if (gen2 != n || orphans != 0 || !report.Intact)
            throw new InvalidOperationException($"re-issue incomplete: {gen2} generation-2 certificates of {n}, {orphans} without successor, chain {report.FirstBreak}");
        return new Check(gen2, orphans, report.EntriesChecked, report.Intact, clock.Elapsed.TotalSeconds, bytes);
    }

    /// <summary>Seeds n generation-1 certificates (full HC1, placeholder signature) in 512-certificate group commits.</summary>
    private static async Task SeedAsync(string spec, int n)
    {
        await using var ledger = await LedgerSpec.Parse(spec).OpenAsync(LedgerOpenMode.CreateIfMissing);
        using var placeholder = new PlaceholderSigner();
        var issuer = Hc1Issuer.Create(placeholder);
        var uvcis = new DeterministicUvci("VN");
        var template = IssuanceScenarios.SampleRecord();
        var attestation = new byte[] { 0xA0 };
        const int chunk = 512;
        Task? pending = null;
        for (var start = 0; start < n; start += chunk)
        {
            var count = Math.Min(chunk, n - start);
            var batch = new CertificateToRecord[count];
            Parallel.For(0, count, i =>
            {
                var id = "seed-" + (start + i).ToString(CultureInfo.InvariantCulture);
                var record = template with { CertificateId = uvcis.For("HN001", id) };
                var c = issuer.Issue(record).Certificate ?? throw new InvalidOperationException("the sample record does not issue");
                batch[i] = new CertificateToRecord(c.Uvci, "HN001", id, RecordHash.Of(c.DccCbor, record.Nationality), attestation, c.SignerKeyId,
                    c.IssuedAt, c.ExpiresAt, c.Hc1);
            });
            if (pending is not null) await pending;
            pending = ledger.RecordIssuedManyAsync(batch).ContinueWith(t =>
            {
                if (t.Result.Any(r => r.Outcome != RecordOutcome.Recorded)) throw new InvalidOperationException("seed collision");
            }, TaskScheduler.Default);
        }
        if (pending is not null) await pending;
    }

    private static CertificateReissuer Reissuer(ICertificateLedger ledger, ICoseSigner signer) =>
        new(ledger, Hc1Issuer.Create(signer), null, TimeProvider.System, NullLogger.Instance);

    private static SoftwareCoseSigner OpenSigner(string keys) =>
        SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.DscEs256Certificate), Path.Combine(keys, DevPkiLayout.DscEs256Key));

    private static double BareSign(TimeSpan span) => ScaleScenarios.BareSignRate(null, span);

    /// <summary>Signs nothing: a 64-byte zero "signature" under the dev DSC's certificate and kid (seeding only).</summary>
    private sealed class PlaceholderSigner : ICoseSigner
    {
        private readonly X509Certificate2 _certificate =
            X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepoRoot(), "keys-dev", DevPkiLayout.DscEs256Certificate));

        public CoseAlgorithm Algorithm => CoseAlgorithm.ES256;

        public X509Certificate2 Certificate => _certificate;

        public ReadOnlyMemory<byte> KeyId { get; }

        public PlaceholderSigner() => KeyId = KeyIdentifier.For(_certificate);

        public byte[] Sign(ReadOnlySpan<byte> data) => new byte[64];

        public void Dispose() => _certificate.Dispose();
    }

    private static string RepoRoot() => ScaleScenarios.RepoRoot();
}
