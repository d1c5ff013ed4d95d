using System.Data.Common;
using System.Globalization;

namespace VaxCert.Ledger.Sql;

/// <summary>
/// Brings the schema to the newest version on open. Idempotent, and safe when several instances open the same database
/// at once: the whole check-and-apply runs in one transaction behind an engine-level lock.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task<int> MigrateAsync(DbConnection connection, SqlDialect dialect, TimeProvider clock, CancellationToken ct)
    {
        // Fast path without DDL or write lock, so a role with only DML grants (which cannot run CREATE TABLE, and so
        // cannot disable the append-only triggers either) can open an up-to-date ledger.
        if (await TryReadVersionAsync(connection, ct).ConfigureAwait(false) is { } existing && existing >= dialect.Migrations.Count)
            return existing == dialect.Migrations.Count ? existing
                : throw new LedgerException($"the ledger schema is at version {existing}, newer than this build supports ({dialect.Migrations.Count}); upgrade VaxCert");
        await using var tx = await dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        await dialect.LockForMigrationAsync(connection, tx, ct).ConfigureAwait(false);
        await connection.ExecuteAsync(tx,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", ct).ConfigureAwait(false);
        var current = await CurrentVersionAsync(connection, tx, ct).ConfigureAwait(false);
        var target = dialect.Migrations.Count;
        if (current > target)
            throw new LedgerException($"the ledger schema is at version {current}, newer than this build supports ({target}); upgrade VaxCert");
        for (var version = current + 1; version <= target; version++)
        {
            foreach (var statement in dialect.Migrations[version - 1])
                await connection.ExecuteAsync(tx, statement, ct).ConfigureAwait(false);
            await using var record = connection.Command(tx, "INSERT INTO schema_version (version, applied_at) VALUES (@v, @t)")
                .With("@v", version).With("@t", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return target;
    }

    /// <summary>The recorded version, or null when the version table does not exist yet.</summary>
    private static async Task<int?> TryReadVersionAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            return await CurrentVersionAsync(connection, null, ct).ConfigureAwait(false);
        }
        catch (DbException)
        {
            return null; // no schema_version table: a new database, migrated below under the lock
        }
    }

    public static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var query = connection.Command(tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        return Convert.ToInt32(await query.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
