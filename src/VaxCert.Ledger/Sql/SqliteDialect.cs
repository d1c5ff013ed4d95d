using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace VaxCert.Ledger.Sql;

/// <summary>SQLite: one writer at a time (BEGIN IMMEDIATE), times as integer microseconds, triggers via RAISE(ABORT).</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private const string Forbid = "BEGIN SELECT RAISE(ABORT, 'the VaxCert ledger is append-only'); END";

    public override IReadOnlyList<IReadOnlyList<string>> Migrations { get; } =
    [
        [
            .. LedgerSchema.Tables(seq: "INTEGER", bytes: "BLOB", time: "INTEGER", zeroHash: "zeroblob(32)"),
            $"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log {Forbid}",
            $"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log {Forbid}",
            $"CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates {Forbid}",
        ],
        [
            .. LedgerSchema.MerkleTables(bytes: "BLOB", tableOptions: " WITHOUT ROWID"),
            $"CREATE TRIGGER merkle_nodes_no_update BEFORE UPDATE ON merkle_nodes {Forbid}",
            $"CREATE TRIGGER merkle_nodes_no_delete BEFORE DELETE ON merkle_nodes {Forbid}",
            $"CREATE TRIGGER tree_heads_no_update BEFORE UPDATE ON tree_heads {Forbid}",
            $"CREATE TRIGGER tree_heads_no_delete BEFORE DELETE ON tree_heads {Forbid}",
        ],
        // Version 3: re-issue (generation, reissue_of and its unique index).
        [.. LedgerSchema.Reissue()],
    ];

    public override bool WritesRowByRow => true;

    public override string ListTablesSql => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'";

    // BEGIN IMMEDIATE already holds the database write lock, so plain reads of the head are serialized.
    public override string LockRowSuffix => "";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // In WAL mode a deferred transaction reads one snapshot from its first read until it ends.
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => Task.CompletedTask;

    public override object TimeToDb(DateTimeOffset time) => LedgerTime.ToUnixMicroseconds(time);

    public override DateTimeOffset TimeFromDb(DbDataReader reader, int ordinal) => LedgerTime.FromUnixMicroseconds(reader.GetInt64(ordinal));

    // One writer at a time: SQLite has no deadlocks between writers (they wait on busy_timeout instead).
    public override bool IsTransientConflict(DbException exception) => false;

    public override bool IsUniqueViolation(DbException exception)
        => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
