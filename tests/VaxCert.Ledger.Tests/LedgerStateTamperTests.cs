namespace VaxCert.Ledger.Tests;

/// <summary>
/// Issue 12, item 3: tampering with the tables behind the ledger's back (as a database owner with the append-only
/// triggers dropped could) is caught by verification, which recomputes every table's state from the audit chain; and a
/// store that is not a VaxCert ledger is refused, untouched, instead of getting the ledger's tables.
/// </summary>
public abstract partial class LedgerContractTests
{
    /// <summary>SQL that switches off the append-only triggers of the certificates table.</summary>
    protected abstract string BypassCertificateTriggersSql { get; }

    /// <summary>Opens an instance that refuses to create anything (the auditor's mode).</summary>
    protected abstract Task<ICertificateLedger> OpenExistingAsync(string store);

    /// <summary>How many user tables the store holds (through a raw connection).</summary>
    protected abstract Task<long> CountTablesAsync(string store);

    /// <summary>A ledger with three certificates (rec-1 revoked) and one refused conflict; returns the UVCIs.</summary>
    private async Task<(string Store, string[] Uvcis)> FilledStoreAsync()
    {
        var store = NewStore();
        await using var ledger = await OpenAsync(store);
        var certs = Enumerable.Range(0, 3).Select(i => Samples.Certificate("TAMPER", $"rec-{i}")).ToArray();
        foreach (var c in certs)
            Assert.Equal(RecordOutcome.Recorded, (await ledger.RecordIssuedAsync(c)).Outcome);
        Assert.Equal(RevokeOutcome.Revoked, (await ledger.RevokeAsync(certs[1].Uvci, "fraud")).Outcome);
        Assert.Equal(RecordOutcome.Conflict, (await ledger.RecordIssuedAsync(Samples.Certificate("TAMPER", "rec-2", content: "other"))).Outcome);
        var report = await ledger.VerifyAuditChainAsync();
        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal((5L, 3L), (report.EntriesChecked, report.CertificatesChecked));
        return (store, certs.Select(c => c.Uvci).ToArray());
    }

    private async Task<AuditBreak> BreakAfterAsync(string store, string tamperSql, bool bypassTriggers = false)
    {
        await ExecuteRawAsync(store, (bypassTriggers ? BypassCertificateTriggersSql : "") + tamperSql, bypassTriggers: false);
        await using var ledger = await OpenAsync(store);
        var report = await ledger.VerifyAuditChainAsync();
        Assert.False(report.Intact, "tampering went unnoticed");
        return report.FirstBreak!;
    }

    [Fact]
    public async Task Flipping_a_certificate_to_revoked_without_a_revocation_is_caught()
    {
        var (store, uvcis) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store,
            $"UPDATE certificates SET status = 'revoked', revoked_at = issued_at, revocation_reason = 'fraud' WHERE uvci = '{uvcis[0]}'");

        Assert.Equal(AuditBreakKind.CertificateMismatch, broken.Kind);
        Assert.Contains(uvcis[0], broken.Detail);
    }

    [Fact]
    public async Task Un_revoking_a_certificate_is_caught()
    {
        var (store, uvcis) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store,
            $"UPDATE certificates SET status = 'issued', revoked_at = NULL, revocation_reason = NULL WHERE uvci = '{uvcis[1]}'");

        Assert.Equal(AuditBreakKind.CertificateMismatch, broken.Kind);
        Assert.Contains(uvcis[1], broken.Detail);
        Assert.Contains("not revoked", broken.Detail);
    }

    [Fact]
    public async Task Rewriting_a_revocation_reason_is_caught()
    {
        var (store, uvcis) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store, $"UPDATE certificates SET revocation_reason = 'superseded' WHERE uvci = '{uvcis[1]}'");

        Assert.Equal(AuditBreakKind.CertificateMismatch, broken.Kind);
    }

    [Fact]
    public async Task Replacing_the_hc1_of_a_certificate_is_caught()
    {
        var (store, uvcis) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store, $"UPDATE certificates SET hc1 = 'HC1:FORGED' WHERE uvci = '{uvcis[2]}'");

        Assert.Equal(AuditBreakKind.CertificateMismatch, broken.Kind);
        Assert.Contains(uvcis[2], broken.Detail);
    }

    [Fact]
    public async Task Deleting_a_certificate_row_is_caught_even_when_the_head_counter_is_fixed_up()
    {
        var (store, uvcis) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store,
            $"DELETE FROM certificates WHERE uvci = '{uvcis[0]}'; UPDATE ledger_head SET certificates = certificates - 1 WHERE id = 1",
            bypassTriggers: true);

        Assert.Equal(AuditBreakKind.CertificateMissing, broken.Kind);
        Assert.Contains(uvcis[0], broken.Detail);
    }

    [Fact]
    public async Task A_certificate_row_inserted_behind_the_ledgers_back_is_caught()
    {
        var (store, _) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store, """
            INSERT INTO certificates (uvci, facility_code, facility_record_id, record_hash, facility_attestation, signer_kid,
                issued_at, expires_at, hc1, status, revoked_at, revocation_reason)
            SELECT 'URN:UVCI:01:VN:SMUGGLED', facility_code, 'rec-smuggled', record_hash, facility_attestation, signer_kid,
                issued_at, expires_at, hc1, 'issued', NULL, NULL FROM certificates WHERE facility_record_id = 'rec-0';
            UPDATE ledger_head SET certificates = certificates + 1 WHERE id = 1
            """);

        Assert.Equal(AuditBreakKind.CertificateNotLogged, broken.Kind);
        Assert.Contains("SMUGGLED", broken.Detail);
    }

    [Fact]
    public async Task A_head_counter_that_disagrees_with_the_log_is_caught()
    {
        var (store, _) = await FilledStoreAsync();

        var broken = await BreakAfterAsync(store, "UPDATE ledger_head SET revoked = 0 WHERE id = 1");

        Assert.Equal(AuditBreakKind.CounterMismatch, broken.Kind);
    }

    [Fact]
    public async Task A_store_holding_other_tables_is_refused_and_left_untouched()
    {
        var store = NewStore();
        await ExecuteRawAsync(store, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", bypassTriggers: false);

        var created = await Assert.ThrowsAsync<NotALedgerException>(() => OpenAsync(store));
        var existing = await Assert.ThrowsAsync<NotALedgerException>(() => OpenExistingAsync(store));

        Assert.Contains("not a VaxCert ledger", created.Message);
        Assert.Contains("certificates", existing.Message);
        Assert.Equal(1, await CountTablesAsync(store));
    }

    [Fact]
    public async Task Opening_an_empty_store_as_an_existing_ledger_is_refused_and_creates_nothing()
    {
        var store = NewStore();
        await ExecuteRawAsync(store, "SELECT 1", bypassTriggers: false); // the SQLite file exists, empty

        await Assert.ThrowsAsync<NotALedgerException>(() => OpenExistingAsync(store));

        Assert.Equal(0, await CountTablesAsync(store));
        await using (await OpenAsync(store)) { } // the server's mode creates it
        await using var existing = await OpenExistingAsync(store);
        Assert.True((await existing.VerifyAuditChainAsync()).Intact);
    }
}
