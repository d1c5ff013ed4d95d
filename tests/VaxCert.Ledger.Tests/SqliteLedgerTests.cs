using Microsoft.Data.Sqlite;
using VaxCert.Testing;

namespace VaxCert.Ledger.Tests;

/// <summary>The ledger contract on SQLite files (WAL), one file per test.</summary>
public sealed class SqliteLedgerTests : LedgerContractTests, IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDir("ledger-sqlite");

    protected override string NewStore() => Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");

    protected override async Task<ICertificateLedger> OpenAsync(string store, TimeProvider? clock = null)
        => await SqliteLedger.OpenAsync(store, clock);

    protected override System.Data.Common.DbConnection RawConnection(string store) => new SqliteConnection($"Data Source={store};Pooling=False");

    protected override string BypassTriggersSql => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ";

    protected override string HexLiteral(string hex) => $"X'{hex}'";

    protected override string BypassCertificateTriggersSql => "DROP TRIGGER certificates_no_delete; ";

    protected override string BypassMerkleTriggersSql => "DROP TRIGGER merkle_nodes_no_update; DROP TRIGGER merkle_nodes_no_delete; ";

    protected override async Task<ICertificateLedger> OpenExistingAsync(string store)
        => await SqliteLedger.OpenAsync(store, LedgerOpenMode.ExistingOnly);

    protected override async Task<long> CountTablesAsync(string store)
    {
        await using var connection = RawConnection(store);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_unchanged_and_a_missing_one_is_not_created()
    {
        var text = NewStore();
        await File.WriteAllTextAsync(text, "id,name\n1,not a ledger at all, just a CSV file that is long enough to have a header page\n");
        var before = await File.ReadAllBytesAsync(text);

        var created = await Assert.ThrowsAsync<NotALedgerException>(() => SqliteLedger.OpenAsync(text));
        await Assert.ThrowsAsync<NotALedgerException>(() => SqliteLedger.OpenAsync(text, LedgerOpenMode.ExistingOnly));

        Assert.Contains("not an SQLite database", created.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(text));
        var missing = NewStore();
        await Assert.ThrowsAsync<NotALedgerException>(() => LedgerSpec.Parse("sqlite:" + missing).OpenAsync(LedgerOpenMode.ExistingOnly));
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_and_in_memory_ledgers_work_too()
    {
        var store = NewStore();
        await using (await SqliteLedger.OpenAsync(store)) { }
        await using (var connection = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        }

        await using var memory = await LedgerSpec.Parse("sqlite::memory:").OpenAsync();
        await memory.RecordIssuedAsync(Samples.Certificate("MEM", "rec-1"));
        Assert.True((await memory.VerifyAuditChainAsync()).Intact);
        Assert.Equal(1, (await memory.GetCountsAsync()).Certificates);
    }

    [Fact]
    public async Task Health_reports_an_unreadable_database_instead_of_throwing()
    {
        var store = NewStore();
        var ledger = await SqliteLedger.OpenAsync(store);
        await ledger.DisposeAsync();
        foreach (var f in Directory.GetFiles(_dir, Path.GetFileName(store) + "*")) File.Delete(f);
        Directory.CreateDirectory(store); // a directory where the database file was: SQLite cannot open it

        var health = await ledger.CheckHealthAsync();

        Assert.False(health.Healthy);
        Assert.StartsWith("database error", health.Detail);
        await Assert.ThrowsAsync<LedgerException>(() => ledger.GetCountsAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
