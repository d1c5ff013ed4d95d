namespace VaxCert.Ledger.Tests;

/// <summary>
/// The behaviour every <see cref="ICertificateLedger"/> must have. Runs against SQLite and a real PostgreSQL through the
/// two subclasses; each test gets its own fresh store.
/// </summary>
public abstract partial class LedgerContractTests
{
    /// <summary>A fresh, empty store (an SQLite path or a PostgreSQL connection string).</summary>
    protected abstract string NewStore();

    /// <summary>Opens an independent ledger instance (its own connection pool) on the store.</summary>
    protected abstract Task<ICertificateLedger> OpenAsync(string store, TimeProvider? clock = null);

    /// <summary>An unpooled connection to the store, bypassing the ledger (the tamperer's view).</summary>
    protected abstract System.Data.Common.DbConnection RawConnection(string store);

    /// <summary>SQL that switches off the audit_log append-only triggers (as a database owner could).</summary>
    protected abstract string BypassTriggersSql { get; }

    /// <summary>Runs SQL on a raw connection, first disabling the append-only triggers when asked.</summary>
    protected async Task ExecuteRawAsync(string store, string sql, bool bypassTriggers)
    {
        await using var connection = RawConnection(store);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = (bypassTriggers ? BypassTriggersSql : "") + sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>How many ledger instances the concurrency tests spread over.</summary>
    protected virtual int Instances => 3;

    [Fact]
    public async Task Recorded_certificate_is_found_by_uvci_and_by_facility_record_with_every_field()
    {
        var store = NewStore();
        await using var ledger = await OpenAsync(store);
        var cert = Samples.Certificate("HCM-001", "rec-1");

        var result = await ledger.RecordIssuedAsync(cert);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        foreach (var found in new[] { await ledger.FindByUvciAsync(cert.Uvci), await ledger.FindByFacilityRecordAsync("HCM-001", "rec-1") })
        {
            Assert.NotNull(found);
            var c = found.Certificate;
            Assert.Equal((cert.Uvci, cert.FacilityCode, cert.FacilityRecordId, cert.Hc1), (c.Uvci, c.FacilityCode, c.FacilityRecordId, c.Hc1));
            Assert.Equal(cert.RecordHash, c.RecordHash);
            Assert.Equal(cert.FacilityAttestation, c.FacilityAttestation);
            Assert.Equal(cert.SignerKid, c.SignerKid);
            // Stored to the microsecond, in UTC: the 0.1 µs tick is dropped.
            Assert.Equal(cert.IssuedAt.UtcTicks / 10 * 10, c.IssuedAt.UtcTicks);
            Assert.Equal(TimeSpan.Zero, c.IssuedAt.Offset);
            Assert.Equal(cert.ExpiresAt, c.ExpiresAt);
            Assert.Equal((CertificateStatus.Issued, (DateTimeOffset?)null, (string?)null), (found.Status, found.RevokedAt, found.RevocationReason));
        }
        Assert.Null(await ledger.FindByUvciAsync("URN:UVCI:01:VN:NOPE"));
        Assert.Null(await ledger.FindByFacilityRecordAsync("HCM-001", "rec-2"));
    }

    [Fact]
    public async Task Replaying_a_record_returns_the_first_certificate_and_writes_nothing()
    {
        await using var ledger = await OpenAsync(NewStore());
        var first = Samples.Certificate("HN-002", "rec-7");
        await ledger.RecordIssuedAsync(first);

        var replayNewUvci = await ledger.RecordIssuedAsync(Samples.Certificate("HN-002", "rec-7"));
        var replayExact = await ledger.RecordIssuedAsync(first);

        Assert.Equal(RecordOutcome.AlreadyIssued, replayNewUvci.Outcome);
        Assert.Equal(first.Uvci, replayNewUvci.Entry!.Uvci);
        Assert.Equal(RecordOutcome.AlreadyIssued, replayExact.Outcome);
        Assert.Equal(first.Uvci, replayExact.Entry!.Uvci);
        Assert.Equal(new LedgerCounts(1, 0, 1), await ledger.GetCountsAsync());
    }

    [Fact]
    public async Task Reusing_a_record_id_for_other_content_is_a_conflict_and_is_audited_as_refused()
    {
        await using var ledger = await OpenAsync(NewStore());
        var first = Samples.Certificate("DN-003", "rec-9", content: "dose-1");
        await ledger.RecordIssuedAsync(first);

        var result = await ledger.RecordIssuedAsync(Samples.Certificate("DN-003", "rec-9", content: "dose-2"));

        Assert.Equal(RecordOutcome.Conflict, result.Outcome);
        Assert.Equal(first.Uvci, result.Entry!.Uvci);
        Assert.Equal(first.RecordHash, result.Entry.Certificate.RecordHash);
        var audit = await ledger.ReadAuditAsync().ToListAsync();
        Assert.Equal(["Issued", "Refused"], audit.Select(a => a.Event));
        Assert.Contains("facility-record-id-reused", audit[1].DetailsJson);
        Assert.Equal(1, (await ledger.GetCountsAsync()).Certificates);
    }

    [Fact]
    public async Task A_uvci_already_used_by_another_record_is_refused_without_writing()
    {
        await using var ledger = await OpenAsync(NewStore());
        var first = Samples.Certificate("HP-004", "rec-1");
        await ledger.RecordIssuedAsync(first);

        var result = await ledger.RecordIssuedAsync(Samples.Certificate("HP-004", "rec-2", uvci: first.Uvci));

        Assert.Equal(new RecordResult(RecordOutcome.UvciTaken, null), result);
        Assert.Null(await ledger.FindByFacilityRecordAsync("HP-004", "rec-2"));
        Assert.Equal(new LedgerCounts(1, 0, 1), await ledger.GetCountsAsync());
    }

    [Fact]
    public async Task Revoke_is_idempotent_keeps_the_first_reason_and_reports_unknown_uvcis()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var ledger = await OpenAsync(NewStore(), clock);
        var cert = Samples.Certificate("CT-005", "rec-1");
        await ledger.RecordIssuedAsync(cert);

        var revoked = await ledger.RevokeAsync(cert.Uvci, "fraud");
        clock.Advance(TimeSpan.FromHours(1));
        var again = await ledger.RevokeAsync(cert.Uvci, "duplicate");
        var unknown = await ledger.RevokeAsync("URN:UVCI:01:VN:UNKNOWN", "fraud");

        Assert.Equal(RevokeOutcome.Revoked, revoked.Outcome);
        Assert.Equal(RevokeOutcome.AlreadyRevoked, again.Outcome);
        Assert.Equal(new RevokeResult(RevokeOutcome.NotFound, null), unknown);
        var stored = await ledger.FindByUvciAsync(cert.Uvci);
        Assert.Equal((CertificateStatus.Revoked, (DateTimeOffset?)new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), "fraud"),
            (stored!.Status, stored.RevokedAt, stored.RevocationReason));
        Assert.Equal(new LedgerCounts(1, 1, 2), await ledger.GetCountsAsync());
        Assert.Equal(["Issued", "Revoked"], (await ledger.ReadAuditAsync().ToListAsync()).Select(a => a.Event));
    }

    [Fact]
    public async Task Revocation_list_streams_revoked_certificates_in_revocation_order_and_filters_by_time()
    {
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        await using var ledger = await OpenAsync(NewStore(), clock);
        var certs = Enumerable.Range(0, 5).Select(i => Samples.Certificate("KH-006", $"rec-{i}")).ToList();
        foreach (var c in certs) await ledger.RecordIssuedAsync(c);
        foreach (var i in new[] { 3, 0, 4 })
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await ledger.RevokeAsync(certs[i].Uvci, "withdrawn");
        }

        var all = await ledger.ListRevokedAsync().ToListAsync();
        var recent = await ledger.ListRevokedAsync(since: start.AddMinutes(2)).ToListAsync();

        Assert.Equal(new[] { 3, 0, 4 }.Select((i, k) => new RevokedCertificate(certs[i].Uvci, start.AddMinutes(k + 1))), all);
        Assert.Equal([certs[0].Uvci, certs[4].Uvci], recent.Select(r => r.Uvci));
    }

    [Fact]
    public async Task Audit_chain_of_a_busy_ledger_verifies_and_matches_the_documented_hash()
    {
        await using var ledger = await OpenAsync(NewStore());
        await FillAsync(ledger, 6);
        await ledger.RevokeAsync((await ledger.FindByFacilityRecordAsync("TEST", "rec-2"))!.Uvci, "error");
        await ledger.AppendAuditAsync(AuditEvent.Refused, "", "TEST", """{"reason":"attestation-invalid"}""");

        var report = await ledger.VerifyAuditChainAsync();
        var entries = await ledger.ReadAuditAsync().ToListAsync();

        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal(8, report.EntriesChecked);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), entries.Select(e => e.Seq));
        Assert.Equal(new byte[32], entries[0].PrevHash);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(IndependentAuditHash.Of(entries[i]), entries[i].EntryHash);
            if (i > 0) Assert.Equal(entries[i - 1].EntryHash, entries[i].PrevHash);
        }
        Assert.DoesNotContain(entries, e => e.DetailsJson.Contains("HC1:"));
    }

    [Fact]
    public async Task Database_triggers_refuse_updating_or_deleting_audit_entries()
    {
        var store = NewStore();
        await using (var ledger = await OpenAsync(store))
            await FillAsync(ledger, 2);

        var update = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "UPDATE audit_log SET details = '{}' WHERE seq = 1", bypassTriggers: false));
        var delete = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "DELETE FROM audit_log WHERE seq = 2", bypassTriggers: false));
        var deleteCert = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "DELETE FROM certificates", bypassTriggers: false));

        foreach (var ex in new[] { update, delete, deleteCert })
            Assert.Contains("append-only", ex?.Message ?? "(no exception)");
        await using var reopened = await OpenAsync(store);
        Assert.True((await reopened.VerifyAuditChainAsync()).Intact);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET details = '{\"reason\":\"edited\"}' WHERE seq = 3", 3L, AuditBreakKind.HashMismatch)]
    [InlineData("DELETE FROM audit_log WHERE seq = 2", 3L, AuditBreakKind.SeqGap)]
    [InlineData("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); UPDATE audit_log SET seq = seq + 5 WHERE seq IN (-2, -3)", 2L, AuditBreakKind.HashMismatch)]
    [InlineData("UPDATE audit_log SET subject = 'x' WHERE seq = 1", 1L, AuditBreakKind.HashMismatch)]
    [InlineData("DELETE FROM audit_log WHERE seq = 5", 5L, AuditBreakKind.HeadMismatch)]
    public async Task Tampering_is_detected_at_the_first_broken_entry(string tamper, long brokenSeq, AuditBreakKind kind)
    {
        var store = NewStore();
        await using (var ledger = await OpenAsync(store))
            await FillAsync(ledger, 5);

        await ExecuteRawAsync(store, tamper, bypassTriggers: true);

        await using var reopened = await OpenAsync(store);
        var report = await reopened.VerifyAuditChainAsync();
        Assert.False(report.Intact);
        Assert.Equal((brokenSeq, kind), (report.FirstBreak!.Seq, report.FirstBreak.Kind));
    }

    [Fact]
    public async Task A_forged_entry_with_a_recomputed_hash_still_breaks_the_next_link()
    {
        var store = NewStore();
        AuditEntry second;
        await using (var ledger = await OpenAsync(store))
        {
            await FillAsync(ledger, 4);
            second = (await ledger.ReadAuditAsync(afterSeq: 1).FirstAsync());
        }
        var forged = second with { DetailsJson = """{"reason":"forged"}""" };
        var forgedHash = Convert.ToHexString(AuditHash.Compute(forged));

        await ExecuteRawAsync(store, $"UPDATE audit_log SET details = '{forged.DetailsJson}', entry_hash = {HexLiteral(forgedHash)} WHERE seq = 2", bypassTriggers: true);

        await using var reopened = await OpenAsync(store);
        var report = await reopened.VerifyAuditChainAsync();
        Assert.Equal((3L, AuditBreakKind.PrevLinkBroken), (report.FirstBreak!.Seq, report.FirstBreak.Kind));
    }

    /// <summary>A hex literal for a blob in this engine's SQL.</summary>
    protected abstract string HexLiteral(string hex);

    [Fact]
    public async Task Concurrent_duplicates_from_several_instances_yield_exactly_one_certificate()
    {
        var store = NewStore();
        var ledgers = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => OpenAsync(store)));
        try
        {
            const int racers = 24;
            using var go = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, racers).Select(i => Task.Run(async () =>
            {
                go.Wait();
                return await ledgers[i % ledgers.Length].RecordIssuedAsync(Samples.Certificate("RACE-01", "rec-same"));
            })).ToList();
            go.Set();
            var results = await Task.WhenAll(tasks);

            Assert.Single(results, r => r.Outcome == RecordOutcome.Recorded);
            Assert.Equal(racers - 1, results.Count(r => r.Outcome == RecordOutcome.AlreadyIssued));
            Assert.Single(results.Select(r => r.Entry!.Uvci).Distinct());
            Assert.Equal(new LedgerCounts(1, 0, 1), await ledgers[0].GetCountsAsync());
            Assert.True((await ledgers[0].VerifyAuditChainAsync()).Intact);
        }
        finally
        {
            foreach (var l in ledgers) await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Thousands_of_concurrent_distinct_records_form_one_intact_chain()
    {
        var store = NewStore();
        var ledgers = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => OpenAsync(store)));
        try
        {
            const int writers = 8, perWriter = 250;
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < perWriter; i++)
                {
                    var result = await ledgers[w % ledgers.Length].RecordIssuedAsync(Samples.Certificate($"F-{w}", $"rec-{i}"));
                    Assert.Equal(RecordOutcome.Recorded, result.Outcome);
                }
            })));

            var report = await ledgers[^1].VerifyAuditChainAsync();
            Assert.True(report.Intact, report.FirstBreak?.Detail);
            Assert.Equal(writers * perWriter, report.EntriesChecked);
            Assert.Equal(new LedgerCounts(writers * perWriter, 0, writers * perWriter), await ledgers[0].GetCountsAsync());
        }
        finally
        {
            foreach (var l in ledgers) await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_instances_opening_a_new_store_at_once_both_migrate_safely()
    {
        var store = NewStore();
        var ledgers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(store))));
        try
        {
            foreach (var l in ledgers)
                Assert.True((await l.CheckHealthAsync()).Healthy);
            await ledgers[0].RecordIssuedAsync(Samples.Certificate("MIG", "rec-1"));
            Assert.Equal(1, (await ledgers[3].GetCountsAsync()).Certificates);
        }
        finally
        {
            foreach (var l in ledgers) await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_arguments_are_rejected_before_touching_the_database()
    {
        await using var ledger = await OpenAsync(NewStore());
        var good = Samples.Certificate("ARG", "rec-1");

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordIssuedAsync(good with { RecordHash = new byte[31] }));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordIssuedAsync(good with { FacilityRecordId = " " }));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordIssuedAsync(good with { ExpiresAt = good.IssuedAt }));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RevokeAsync(good.Uvci, new string('x', 201)));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAuditAsync(AuditEvent.Refused, "", "", "[1]"));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAuditAsync(AuditEvent.Refused, "", "", "{not json"));
        Assert.Equal(new LedgerCounts(0, 0, 0), await ledger.GetCountsAsync());
    }

    /// <summary>Records n certificates for facility TEST (rec-0 ... rec-(n-1)).</summary>
    protected static async Task FillAsync(ICertificateLedger ledger, int n)
    {
        for (var i = 0; i < n; i++)
            Assert.Equal(RecordOutcome.Recorded, (await ledger.RecordIssuedAsync(Samples.Certificate("TEST", $"rec-{i}"))).Outcome);
    }
}
