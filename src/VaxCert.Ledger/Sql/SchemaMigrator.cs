using System.Data.Common;
using System.Globalization;

namespace VaxCert.Ledger.Sql;

/// <summary>
/// Brings the schema to the newest version on open. Idempotent, and safe when several instances open the same database
/// at once: the whole check-and-apply runs in one transaction behind an engine-level lock.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The tables every VaxCert ledger has; a database holding tables but not all of these is someone else's.</summary>
    private static readonly string[] LedgerTables = ["schema_version", "certificates", "audit_log", "ledger_head"];

    /// <param name="connection">An open connection.</param>
    /// <param name="dialect">The engine.</param>
    /// <param name="clock">Time of the migration record.</param>
    /// <param name="createIfEmpty">Create the schema in an empty database; when false an empty database is refused.</param>
    /// <param name="ct">Cancels.</param>
    /// <exception cref="NotALedgerException">The database holds other tables, or is empty and <paramref name="createIfEmpty"/> is false.</exception>
    public static async Task<int> MigrateAsync(DbConnection connection, SqlDialect dialect, TimeProvider clock, bool createIfEmpty, CancellationToken ct)
    {
        // Look before writing anything: a database that is not ours must be left exactly as it was.
        var tables = await ListTablesAsync(connection, dialect, ct).ConfigureAwait(false);
        if (tables.Count == 0 && !createIfEmpty)
            throw new NotALedgerException("the database is empty: it holds no VaxCert ledger");
        if (tables.Count > 0)
        {
            var missing = LedgerTables.Where(t => !tables.Contains(t)).ToList();
            if (missing.Count > 0)
                throw new NotALedgerException(
                    $"the database is not a VaxCert ledger (it has tables, but no {string.Join(", ", missing)}); refusing to create tables in it");
            // Fast path without DDL or write lock, so a role with only DML grants (which cannot run CREATE TABLE, and so
            // cannot disable the append-only triggers either) can open an up-to-date ledger.
            var existing = await CurrentVersionAsync(connection, null, ct).ConfigureAwait(false);
            if (existing >= dialect.Migrations.Count)
                return existing == dialect.Migrations.Count ? existing
                    : throw new LedgerException($"the ledger schema is at version {existing}, newer than this build supports ({dialect.Migrations.Count}); upgrade VaxCert");
        }
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

    private static async Task<HashSet<string>> ListTablesAsync(DbConnection connection, SqlDialect dialect, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var query = connection.Command(null, dialect.ListTablesSql);
        await using var reader = await query.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            names.Add(reader.GetString(0));
        return names;
    }

    public static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var query = connection.Command(tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        return Convert.ToInt32(await query.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
