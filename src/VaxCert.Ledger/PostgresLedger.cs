using System.Data.Common;
using Npgsql;
using VaxCert.Ledger.Sql;

namespace VaxCert.Ledger;

/// <summary>
/// The shared ledger for several server instances. Each instance has its own connection pool; exactly-once issuance rests
/// on the (facility_code, facility_record_id) unique constraint, and one audit chain on the ledger_head row lock.
/// Passwords belong in PGPASSWORD or a passfile, not in the connection spec.
/// </summary>
public sealed class PostgresLedger : SqlCertificateLedger
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresLedger(NpgsqlDataSource dataSource, TimeProvider? clock) : base(PostgresDialect.Instance, clock)
        => _dataSource = dataSource;

    /// <summary>Connects with an Npgsql connection string and brings the schema up to date (creating it in an empty database).</summary>
    /// <exception cref="NotALedgerException">The schema holds tables that are not a VaxCert ledger.</exception>
    public static Task<PostgresLedger> OpenAsync(string connectionString, TimeProvider? clock = null, CancellationToken cancellationToken = default)
        => OpenAsync(connectionString, LedgerOpenMode.CreateIfMissing, clock, cancellationToken);

    /// <summary>Connects; <paramref name="mode"/> says whether the schema may be created in an empty database.</summary>
    /// <exception cref="NotALedgerException">The schema holds tables that are not a VaxCert ledger, or is empty (ExistingOnly).</exception>
    public static async Task<PostgresLedger> OpenAsync(string connectionString, LedgerOpenMode mode, TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var ledger = new PostgresLedger(NpgsqlDataSource.Create(connectionString), clock);
        try
        {
            await ledger.InitializeAsync(mode == LedgerOpenMode.CreateIfMissing, cancellationToken).ConfigureAwait(false);
            return ledger;
        }
        catch
        {
            await ledger.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
