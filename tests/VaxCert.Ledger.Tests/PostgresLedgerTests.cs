using Npgsql;
using VaxCert.Testing;

namespace VaxCert.Ledger.Tests;

/// <summary>
/// The ledger contract on a real PostgreSQL (private cluster from <see cref="PostgresServer"/>); one database per test so
/// tampering in one test cannot leak into another. Each OpenAsync is a separate data source, i.e. a separate pool, like
/// separate server instances.
/// </summary>
public sealed class PostgresLedgerTests : LedgerContractTests
{
    protected override int Instances => 4;

    protected override string NewStore() => PostgresServer.Instance.CreateDatabase(nameof(PostgresLedgerTests)) + ";Maximum Pool Size=12";

    protected override async Task<ICertificateLedger> OpenAsync(string store, TimeProvider? clock = null)
        => await PostgresLedger.OpenAsync(store, clock);

    protected override System.Data.Common.DbConnection RawConnection(string store) => new NpgsqlConnection(store + ";Pooling=False");

    protected override string BypassTriggersSql => "ALTER TABLE audit_log DISABLE TRIGGER USER; ";

    protected override string HexLiteral(string hex) => $"'\\x{hex}'::bytea";

    protected override string BypassCertificateTriggersSql => "ALTER TABLE certificates DISABLE TRIGGER USER; ";

    protected override string BypassMerkleTriggersSql => "ALTER TABLE merkle_nodes DISABLE TRIGGER USER; ";

    protected override async Task<ICertificateLedger> OpenExistingAsync(string store)
        => await PostgresLedger.OpenAsync(store, LedgerOpenMode.ExistingOnly);

    protected override async Task<long> CountTablesAsync(string store)
    {
        await using var connection = RawConnection(store);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Truncating_the_audit_log_is_refused()
    {
        var store = NewStore();
        await using (var ledger = await OpenAsync(store))
            await FillAsync(ledger, 1);

        var ex = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "TRUNCATE audit_log", bypassTriggers: false));

        Assert.Contains("append-only", ex?.Message ?? "(no exception)");
    }

    [Fact]
    public async Task A_role_with_only_dml_grants_can_run_the_ledger_but_cannot_disable_the_triggers()
    {
        var store = NewStore();
        await using (var owner = await OpenAsync(store))
            await FillAsync(owner, 1);
        var role = "issuer_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteRawAsync(store, $"""
            CREATE ROLE {role} LOGIN;
            GRANT SELECT, INSERT, UPDATE ON certificates TO {role};
            GRANT SELECT, INSERT ON audit_log TO {role};
            GRANT SELECT, UPDATE ON ledger_head TO {role};
            GRANT SELECT, INSERT ON merkle_nodes, tree_heads TO {role};
            GRANT SELECT ON schema_version TO {role};
            """, bypassTriggers: false);
        var asIssuer = new NpgsqlConnectionStringBuilder(store) { Username = role }.ConnectionString;

        await using (var ledger = await OpenAsync(asIssuer))
        {
            var cert = Samples.Certificate("ROLE", "rec-1");
            Assert.Equal(RecordOutcome.Recorded, (await ledger.RecordIssuedAsync(cert)).Outcome);
            Assert.Equal(RevokeOutcome.Revoked, (await ledger.RevokeAsync(cert.Uvci, "fraud")).Outcome);
            Assert.True((await ledger.VerifyAuditChainAsync()).Intact);
            Assert.True((await ((IMerkleAuditLog)ledger).VerifyMerkleLogAsync(null)).Intact);
        }
        var disable = await Record.ExceptionAsync(() => ExecuteRawAsync(asIssuer, "SELECT 1", bypassTriggers: true));
        Assert.Contains("must be owner", disable?.Message ?? "(no exception)");
        await ExecuteRawAsync(store, $"DROP OWNED BY {role}; DROP ROLE {role}", bypassTriggers: false); // roles are server-wide
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_unhealthy_and_errors_never_show_the_password()
    {
        // A closed port on loopback: the open fails fast.
        var spec = LedgerSpec.Parse("postgresql://vax:s3cr3t-pw@127.0.0.1:1/ledger?connect_timeout=2");

        var ex = await Assert.ThrowsAsync<LedgerException>(() => spec.OpenAsync());

        Assert.DoesNotContain("s3cr3t-pw", ex.ToString());
        Assert.DoesNotContain("s3cr3t-pw", spec.Describe());
    }
}
