using System.Data;
using System.Data.Common;
using Npgsql;

namespace VaxCert.Ledger.Sql;

/// <summary>PostgreSQL: READ COMMITTED writes, the head row locked FOR UPDATE, an advisory lock around migrations.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    /// <summary>Advisory lock key taken while migrating ("VXLEDGER" in ASCII).</summary>
    private const long MigrationLockKey = 0x56584C4544474552;

    public override IReadOnlyList<IReadOnlyList<string>> Migrations { get; } =
    [
        [
            .. LedgerSchema.Tables(seq: "BIGINT", bytes: "BYTEA", time: "TIMESTAMPTZ", zeroHash: "decode(repeat('00', 32), 'hex')"),
            """
            CREATE OR REPLACE FUNCTION vaxcert_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% on % is forbidden: the VaxCert ledger is append-only', TG_OP, TG_TABLE_NAME;
            END
            $$
            """,
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER certificates_no_truncate BEFORE TRUNCATE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION vaxcert_ledger_append_only()",
        ],
        [
            .. LedgerSchema.MerkleTables(bytes: "BYTEA", tableOptions: ""),
            "CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON merkle_nodes FOR EACH ROW EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER merkle_nodes_no_truncate BEFORE TRUNCATE ON merkle_nodes FOR EACH STATEMENT EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER tree_heads_append_only BEFORE UPDATE OR DELETE ON tree_heads FOR EACH ROW EXECUTE FUNCTION vaxcert_ledger_append_only()",
            "CREATE TRIGGER tree_heads_no_truncate BEFORE TRUNCATE ON tree_heads FOR EACH STATEMENT EXECUTE FUNCTION vaxcert_ledger_append_only()",
        ],
        // Version 3: re-issue (generation, reissue_of and its unique index).
        [.. LedgerSchema.Reissue()],
    ];

    public override bool WritesRowByRow => false;

    public override string ListTablesSql => "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";

    public override string LockRowSuffix => " FOR UPDATE";

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
        => await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT pg_advisory_xact_lock(@k)").With("@k", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override object TimeToDb(DateTimeOffset time) => LedgerTime.Normalize(time).UtcDateTime;

    public override DateTimeOffset TimeFromDb(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override bool IsTransientConflict(DbException exception)
        => exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    public override bool IsUniqueViolation(DbException exception)
        => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
