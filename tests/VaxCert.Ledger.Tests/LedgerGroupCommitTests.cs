namespace VaxCert.Ledger.Tests;

/// <summary>
/// Group commit (docs/ledger.md): RecordIssuedManyAsync and concurrent RecordIssuedAsync calls share transactions, yet
/// every record gets exactly the outcome a lone call would, and the audit chain stays one verifiable sequence in order.
/// </summary>
public abstract partial class LedgerContractTests
{
    [Fact]
    public async Task A_batch_records_each_certificate_once_with_single_call_outcomes_and_audits_in_input_order()
    {
        await using var ledger = await OpenAsync(NewStore());
        var earlier = Samples.Certificate("GC-1", "before");
        await ledger.RecordIssuedAsync(earlier);
        var batch = Enumerable.Range(0, 300).Select(i => Samples.Certificate("GC-1", $"rec-{i}")).ToList();
        batch[10] = Samples.Certificate("GC-1", "rec-3");                          // same record again: AlreadyIssued with #3's uvci
        batch[20] = Samples.Certificate("GC-1", "rec-5", content: "dose-2");       // other content under #5's id: Conflict
        batch[30] = Samples.Certificate("GC-1", "rec-30", uvci: batch[7].Uvci);    // #7's uvci for another record: UvciTaken
        batch[40] = Samples.Certificate("GC-1", "before");                         // recorded before the batch: AlreadyIssued
        batch[50] = Samples.Certificate("GC-1", "before", content: "dose-2");      // ... and a conflict with it

        var results = await ledger.RecordIssuedManyAsync(batch);

        Assert.Equal(batch.Count, results.Count);
        Assert.Equal((RecordOutcome.AlreadyIssued, batch[3].Uvci), (results[10].Outcome, results[10].Entry!.Uvci));
        Assert.Equal((RecordOutcome.Conflict, batch[5].Uvci), (results[20].Outcome, results[20].Entry!.Uvci));
        Assert.Equal(new RecordResult(RecordOutcome.UvciTaken, null), results[30]);
        Assert.Equal((RecordOutcome.AlreadyIssued, earlier.Uvci), (results[40].Outcome, results[40].Entry!.Uvci));
        Assert.Equal((RecordOutcome.Conflict, earlier.Uvci), (results[50].Outcome, results[50].Entry!.Uvci));
        var special = new[] { 10, 20, 30, 40, 50 };
        foreach (var i in Enumerable.Range(0, batch.Count).Except(special))
        {
            Assert.Equal(RecordOutcome.Recorded, results[i].Outcome);
            Assert.Equal(batch[i].Hc1, results[i].Entry!.Certificate.Hc1);
            Assert.Equal(batch[i].Hc1, (await ledger.FindByUvciAsync(batch[i].Uvci))!.Certificate.Hc1);
        }
        Assert.Null(await ledger.FindByFacilityRecordAsync("GC-1", "rec-30"));
        Assert.Equal("HC1:rec-5", (await ledger.FindByFacilityRecordAsync("GC-1", "rec-5"))!.Certificate.Hc1);

        // The chain: the earlier Issued, then one entry per written outcome in input order (Refused where the conflicts were).
        var audit = await ledger.ReadAuditAsync().ToListAsync();
        var expected = new List<(string, string)> { ("Issued", earlier.Uvci) };
        for (var i = 0; i < batch.Count; i++)
            if (results[i].Outcome == RecordOutcome.Recorded)
                expected.Add(("Issued", batch[i].Uvci));
            else if (results[i].Outcome == RecordOutcome.Conflict)
                expected.Add(("Refused", results[i].Entry!.Uvci));
        Assert.Equal(expected, audit.Select(a => (a.Event, a.Subject)));
        Assert.Equal(Enumerable.Range(1, audit.Count).Select(i => (long)i), audit.Select(a => a.Seq));
        Assert.Equal(new LedgerCounts(1 + batch.Count - special.Length, 0, audit.Count), await ledger.GetCountsAsync());
        var report = await ledger.VerifyAuditChainAsync();
        Assert.True(report.Intact, report.FirstBreak?.ToString());
    }

    [Fact]
    public async Task Batches_and_single_calls_racing_over_several_instances_record_every_key_exactly_once()
    {
        var store = NewStore();
        var ledgers = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => OpenAsync(store)));
        try
        {
            // 6 batch writers and 6 single-call writers over the same 600 keys, in different orders: every key is offered
            // many times, concurrently, with fresh uvcis and the same content.
            const int keys = 600;
            var batchWriters = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var order = Enumerable.Range(0, keys).OrderBy(k => (k * 7919 + w * 104729) % keys).ToList();
                var all = new List<RecordResult>();
                foreach (var chunk in order.Chunk(150))
                    all.AddRange(await ledgers[w % ledgers.Length].RecordIssuedManyAsync(chunk.Select(k => Samples.Certificate("RACE", $"k-{k}")).ToList()));
                return all;
            }));
            var singleWriters = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var all = new List<RecordResult>();
                for (var k = w; k < keys; k += 3)
                    all.Add(await ledgers[(w + 1) % ledgers.Length].RecordIssuedAsync(Samples.Certificate("RACE", $"k-{k}")));
                return all;
            }));
            var results = (await Task.WhenAll(batchWriters.Concat(singleWriters))).SelectMany(r => r).ToList();

            Assert.All(results, r => Assert.Contains(r.Outcome, new[] { RecordOutcome.Recorded, RecordOutcome.AlreadyIssued }));
            Assert.Equal(keys, results.Count(r => r.Outcome == RecordOutcome.Recorded));
            var stored = await ledgers[0].FindByFacilityRecordsAsync(Enumerable.Range(0, keys).Select(k => ("RACE", $"k-{k}")).ToList());
            Assert.All(stored, Assert.NotNull);
            // Every caller of a key was handed the one stored certificate.
            var storedUvcis = stored.Select(e => e!.Uvci).ToHashSet();
            Assert.All(results, r => Assert.Contains(r.Entry!.Uvci, storedUvcis));
            Assert.Equal(new LedgerCounts(keys, 0, keys), await ledgers[0].GetCountsAsync());
            var report = await ledgers[1 % ledgers.Length].VerifyAuditChainAsync();
            Assert.True(report.Intact, report.FirstBreak?.ToString());
        }
        finally
        {
            foreach (var l in ledgers)
                await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Batch_lookup_returns_entries_in_input_order_with_nulls_for_unknown_keys()
    {
        await using var ledger = await OpenAsync(NewStore());
        var a = Samples.Certificate("LK-1", "a");
        var b = Samples.Certificate("LK-2", "b");
        await ledger.RecordIssuedManyAsync([a, b]);

        var found = await ledger.FindByFacilityRecordsAsync([("LK-2", "b"), ("LK-1", "nope"), ("LK-1", "a"), ("LK-2", "b"), ("LK-9", "a")]);

        Assert.Equal([b.Uvci, null, a.Uvci, b.Uvci, null], found.Select(e => e?.Uvci));
        Assert.Empty(await ledger.FindByFacilityRecordsAsync([]));
        Assert.Empty(await ledger.RecordIssuedManyAsync([]));
    }

    [Fact]
    public async Task A_bad_certificate_in_a_batch_is_rejected_before_anything_is_written()
    {
        await using var ledger = await OpenAsync(NewStore());
        var bad = Samples.Certificate("BAD-1", "r2") with { RecordHash = new byte[5] };

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordIssuedManyAsync([Samples.Certificate("BAD-1", "r1"), bad]));

        Assert.Equal(new LedgerCounts(0, 0, 0), await ledger.GetCountsAsync());
    }
}
