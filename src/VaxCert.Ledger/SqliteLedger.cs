using System.Data.Common;
using Microsoft.Data.Sqlite;
using VaxCert.Ledger.Sql;

namespace VaxCert.Ledger;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode with synchronous=FULL (every commit is fsynced to the WAL before
/// RecordIssuedAsync returns, so a certificate handed out survives even a power loss; NORMAL could lose the last commits
/// and let the same record be signed twice). Several processes may share the file; writers queue on the busy timeout.
/// </summary>
public sealed class SqliteLedger : SqlCertificateLedger
{
    /// <summary>How long a writer waits for another writer before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// WAL pages (4 KiB) after which a commit copies the WAL back into the database file: 16,384 pages, 64 MiB, where
    /// SQLite's default is 1,000. A group commit of 256 certificates dirties ~600 pages, most of them random leaves of the
    /// UVCI indexes, so at the default every second commit ran a checkpoint inside the serial commit path and wrote those
    /// pages again; a larger interval writes a page dirtied by many commits once. IssueBatch +20% (docs/performance.md).
    /// Crash recovery replays at most this much WAL; durability is unchanged (every commit is still fsynced to the WAL).
    /// </summary>
    public const int WalAutoCheckpointPages = 16_384;

    private readonly string _connectionString;
    private readonly SqliteConnection? _memoryAnchor;

    private SqliteLedger(string connectionString, SqliteConnection? memoryAnchor, TimeProvider? clock)
        : base(SqliteDialect.Instance, clock)
    {
        _connectionString = connectionString;
        _memoryAnchor = memoryAnchor;
    }

    /// <summary>Opens (creating if needed) the ledger file and brings its schema up to date.</summary>
    /// <exception cref="NotALedgerException">The file is not an SQLite database, or holds tables that are not a VaxCert ledger.</exception>
    public static Task<SqliteLedger> OpenAsync(string path, TimeProvider? clock = null, CancellationToken cancellationToken = default)
        => OpenAsync(path, LedgerOpenMode.CreateIfMissing, clock, cancellationToken);

    /// <summary>Opens the ledger file; <paramref name="mode"/> says whether a missing file or empty database may be created.</summary>
    /// <exception cref="NotALedgerException">The file is missing (ExistingOnly), empty (ExistingOnly), not an SQLite database, or
    /// holds tables that are not a VaxCert ledger. The file is left unchanged.</exception>
    public static async Task<SqliteLedger> OpenAsync(string path, LedgerOpenMode mode, TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var create = mode == LedgerOpenMode.CreateIfMissing;
        if (create)
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        else if (!File.Exists(full))
            throw new NotALedgerException($"no ledger file at {full}");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        var ledger = new SqliteLedger(connectionString, null, clock);
        try
        {
            // Schema first: it refuses a foreign file before WAL mode (a change to the file) is switched on.
            await ledger.InitializeAsync(create, cancellationToken).ConfigureAwait(false);
            await ledger.EnableWalAsync(cancellationToken).ConfigureAwait(false);
            return ledger;
        }
        catch (LedgerException e) when (e.InnerException is SqliteException { SqliteErrorCode: NotADatabase })
        {
            await ledger.DisposeAsync().ConfigureAwait(false);
            throw new NotALedgerException($"{full} is not an SQLite database, so not a VaxCert ledger", e.InnerException);
        }
        catch
        {
            await ledger.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SQLITE_NOTADB: the file is not a database.</summary>
    private const int NotADatabase = 26;

    /// <summary>A private in-memory ledger for tests; it lives until disposed. (No WAL: nothing is durable.)</summary>
    public static async Task<SqliteLedger> OpenInMemoryAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "vaxcert-ledger-" + Guid.NewGuid().ToString("N"),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        // A shared in-memory database exists while at least one connection to it is open.
        var anchor = new SqliteConnection(connectionString);
        await anchor.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ledger = new SqliteLedger(connectionString, anchor, clock);
        await ledger.InitializeAsync(createIfEmpty: true, cancellationToken).ConfigureAwait(false);
        return ledger;
    }

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(null,
                $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; " +
                $"PRAGMA wal_autocheckpoint = {WalAutoCheckpointPages};", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // journal_mode is a property of the file, so setting it once on open is enough; it must run outside a transaction.
    private async Task EnableWalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "PRAGMA journal_mode = WAL");
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new LedgerException($"SQLite refused WAL mode (journal_mode is '{mode}'); the ledger needs WAL for concurrent readers");
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted after disposal.
        using (var probe = new SqliteConnection(_connectionString))
            SqliteConnection.ClearPool(probe);
        if (_memoryAnchor is not null)
            await _memoryAnchor.DisposeAsync().ConfigureAwait(false);
    }
}
