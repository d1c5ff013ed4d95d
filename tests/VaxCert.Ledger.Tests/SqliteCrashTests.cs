using System.Diagnostics;
using Microsoft.Data.Sqlite;
using VaxCert.Testing;

namespace VaxCert.Ledger.Tests;

/// <summary>
/// Crash safety of the embedded ledger: a child process writing from several tasks is SIGKILLed (three times, on the same
/// file); after each kill the ledger must open, its chain verify, every certificate the child reported as committed be
/// there, and every stored certificate and revocation have its audit entry (nothing half-written).
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int CommitsBeforeKill = 120;
    private readonly string _dir = RepoPaths.NewTempDir("ledger-crash");

    [Fact]
    public async Task A_writer_killed_mid_stream_leaves_a_consistent_verifiable_ledger()
    {
        var db = Path.Combine(_dir, "ledger.db");
        var committed = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            committed.AddRange(await RunAndKillWriterAsync(db, round.ToString()));
            // Before any open could catch up: the Merkle nodes committed exactly with their entries.
            Assert.Equal(1L, await ScalarAsync(db, "SELECT merkle_size = last_seq FROM ledger_head"));

            await using var ledger = await SqliteLedger.OpenAsync(db);
            var report = await ledger.VerifyAuditChainAsync();
            Assert.True(report.Intact, $"round {round}: {report.FirstBreak}");
            var merkle = await ledger.VerifyMerkleLogAsync(null);
            Assert.True(merkle.Intact, $"round {round}: {merkle.FirstBreak}");
            Assert.Equal(report.EntriesChecked, (await ledger.GetLatestTreeHeadAsync())?.TreeSize ?? 0);
            foreach (var uvci in committed)
                Assert.NotNull(await ledger.FindByUvciAsync(uvci));
            var counts = await ledger.GetCountsAsync();
            Assert.True(counts.Certificates >= committed.Count);
            Assert.Equal(0L, await ScalarAsync(db,
                "SELECT COUNT(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = c.uvci AND a.event = 'Issued')"));
            Assert.Equal(0L, await ScalarAsync(db,
                "SELECT COUNT(*) FROM certificates c WHERE c.status = 'revoked' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = c.uvci AND a.event = 'Revoked')"));
            Assert.Equal(counts.Certificates, await ScalarAsync(db, "SELECT COUNT(*) FROM audit_log WHERE event = 'Issued'"));
            Assert.Equal(counts.Certificates, await ScalarAsync(db, "SELECT COUNT(*) FROM certificates"));
            Assert.Equal(counts.Revoked, await ScalarAsync(db, "SELECT COUNT(*) FROM certificates WHERE status = 'revoked'"));
            Assert.Equal(counts.AuditEntries, report.EntriesChecked);
        }
    }

    [Fact]
    public async Task A_batch_writer_killed_mid_group_is_completed_exactly_once_by_resubmitting()
    {
        var db = Path.Combine(_dir, "batches.db");
        for (var round = 0; round < 3; round++)
        {
            var tag = round.ToString();
            var reported = await RunAndKillWriterAsync(db, tag, "crash-batch-writer", commits: 4);
            var done = reported.Select(l => int.Parse(l["batch ".Length..])).ToList();
            Assert.Equal(Enumerable.Range(0, done.Count), done);

            // The caller never saw batches after the last reported one: it resubmits them all (fresh uvcis, as a re-sign gives).
            await using var ledger = await SqliteLedger.OpenAsync(db);
            var before = await ledger.VerifyAuditChainAsync();
            Assert.True(before.Intact, $"round {round}: {before.FirstBreak}");
            var resubmitted = done.Count + 3;
            for (var b = 0; b < resubmitted; b++)
            {
                var batch = CrashWriter.Batch(tag, b);
                var results = await ledger.RecordIssuedManyAsync(batch);
                Assert.All(results, r => Assert.Contains(r.Outcome, new[] { RecordOutcome.Recorded, RecordOutcome.AlreadyIssued }));
                if (b < done.Count) // reported committed: nothing may be recorded again
                    Assert.All(results, r => Assert.Equal(RecordOutcome.AlreadyIssued, r.Outcome));
                // Every record is stored once, and every caller result names that stored certificate.
                var stored = await ledger.FindByFacilityRecordsAsync(batch.Select(c => (c.FacilityCode, c.FacilityRecordId)).ToList());
                Assert.All(stored, Assert.NotNull);
                Assert.Equal(results.Select(r => r.Entry!.Uvci), stored.Select(e => e!.Uvci));
            }
            Assert.Equal(CrashWriter.BatchSize * resubmitted, await ScalarAsync(db, $"SELECT COUNT(*) FROM certificates WHERE facility_code = 'BATCH-{tag}'"));
            Assert.Equal(0L, await ScalarAsync(db,
                "SELECT COUNT(*) FROM certificates c WHERE (SELECT COUNT(*) FROM audit_log a WHERE a.subject = c.uvci AND a.event = 'Issued') <> 1"));
            var counts = await ledger.GetCountsAsync();
            Assert.Equal(counts.Certificates, await ScalarAsync(db, "SELECT COUNT(*) FROM certificates"));
            var after = await ledger.VerifyAuditChainAsync();
            Assert.True(after.Intact, $"round {round}: {after.FirstBreak}");
            Assert.Equal(counts.AuditEntries, after.EntriesChecked);
        }
    }

    /// <summary>Starts the writer, waits for enough commits, SIGKILLs it, and returns every uvci it reported.</summary>
    private static async Task<List<string>> RunAndKillWriterAsync(string db, string tag, string mode = "crash-writer", int commits = CommitsBeforeKill)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host : ExternalTool.RequireOnPath("dotnet", "The .NET SDK runs the crash writer.");
        var psi = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", typeof(CrashWriter).Assembly.Location, mode, db, tag }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var uvcis = new List<string>();
        while (uvcis.Count < commits)
        {
            var line = await child.StandardOutput.ReadLineAsync();
            if (line is null)
                Assert.Fail($"the crash writer exited early ({uvcis.Count} commits): {await stderr}");
            uvcis.Add(line);
        }
        child.Kill(); // SIGKILL: no finally blocks, no flush, no rollback
        await child.WaitForExitAsync();
        // Lines already written before the kill are commits too; a cut-off last line is not a whole uvci.
        var rest = await child.StandardOutput.ReadToEndAsync();
        uvcis.AddRange(rest.Split('\n').SkipLast(1).Where(l => l.Length > 0));
        return uvcis;
    }

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
