using System.Data.Common;

namespace VaxCert.Ledger.Sql;

/// <summary>What differs between the SQL engines; everything else is shared in <see cref="SqlCertificateLedger"/>.</summary>
internal abstract class SqlDialect
{
    /// <summary>Schema migrations, in version order; index i holds version i + 1. Each migration is a list of statements.</summary>
    public abstract IReadOnlyList<IReadOnlyList<string>> Migrations { get; }

    /// <summary>A query listing the names of the user tables of the database (SQLite) or of the current schema (PostgreSQL).</summary>
    public abstract string ListTablesSql { get; }

    /// <summary>Suffix that row-locks the ledger head until commit ("" where the transaction already holds the write lock).</summary>
    public abstract string LockRowSuffix { get; }

    /// <summary>
    /// True where statements run in process (SQLite): a group's rows are written by one prepared single-row INSERT executed
    /// per row. That beats a multi-row statement there: no parse of a 1,100-parameter statement per group, and
    /// Microsoft.Data.Sqlite binds by name, each lookup scanning every name of the statement (quadratic in its size; ~8% of
    /// the process CPU in an IssueBatch profile). False where every statement is a network round trip (PostgreSQL).
    /// </summary>
    public abstract bool WritesRowByRow { get; }

    /// <summary>Starts a read-write transaction.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Starts a read-only transaction that sees one consistent snapshot (used to verify the chain against the head).</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serializes concurrent schema migrations from several instances (inside the migration transaction).</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>A time as the engine stores it.</summary>
    public abstract object TimeToDb(DateTimeOffset time);

    /// <summary>A stored time back as UTC.</summary>
    public abstract DateTimeOffset TimeFromDb(DbDataReader reader, int ordinal);

    /// <summary>True when the transaction was rolled back as a whole by a deadlock or serialization failure and may be retried.</summary>
    public abstract bool IsTransientConflict(DbException exception);

    /// <summary>True when the error is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);
}
