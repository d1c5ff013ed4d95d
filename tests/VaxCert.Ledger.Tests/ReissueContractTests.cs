namespace VaxCert.Ledger.Tests;

// Issue 11 (re-issue): the schema v2 link on both engines - selection pages by UVCI cursor, the unique link as the
// (certificate, generation) idempotency key across instances, Reissued entries in the chain, the state check over links.
public abstract partial class LedgerContractTests
{
    private static CertificateToRecord Successor(CertificateToRecord old, string? uvci = null, string suffix = "g2") =>
        Samples.Certificate(old.FacilityCode, old.FacilityRecordId + "\u001F" + suffix, uvci) with
        {
            Generation = old.Generation + 1, ReissueOf = old.Uvci, IssuedAt = Samples.IssuedAt.AddYears(1), ExpiresAt = Samples.IssuedAt.AddYears(2),
        };

    [Fact]
    public async Task Reissue_selection_pages_by_cursor_links_successors_once_and_the_chain_verifies()
    {
        var store = NewStore();
        await using var ledger = await OpenAsync(store);
        var reissue = Assert.IsAssignableFrom<IReissueLedger>(ledger);
        var expiring = Enumerable.Range(0, 23).Select(i => Samples.Certificate(i % 2 == 0 ? "HN001" : "HCM01", $"e{i:D3}")).ToList();
        var later = Samples.Certificate("HN001", "late") with { ExpiresAt = Samples.IssuedAt.AddYears(3) };
        await ledger.RecordIssuedManyAsync([.. expiring, later]);
        var wave = new ReissueSelection.Expiring(Samples.IssuedAt.AddYears(1).AddDays(1), null);

        // Pages of 5 by cursor see every expiring certificate once, in UVCI order, and never the later one.
        var seen = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = await reissue.ListReissueCandidatesAsync(wave, cursor, 5);
            if (page.Count == 0) break;
            Assert.All(page, c => Assert.Null(c.SuccessorUvci));
            seen.AddRange(page.Select(c => c.Entry.Uvci));
            cursor = page[^1].Entry.Uvci;
        }
        Assert.Equal(expiring.Select(c => c.Uvci).Order(StringComparer.Ordinal), seen);
        Assert.Equal(23, await reissue.CountReissueCandidatesAsync(wave, null));
        Assert.Equal(23 - 10, await reissue.CountReissueCandidatesAsync(wave, seen[9]));
        Assert.Equal(12, await reissue.CountReissueCandidatesAsync(wave with { FacilityCode = "HN001" }, null));
        Assert.Equal(later.Uvci, Assert.Single(await reissue.ListReissueCandidatesAsync(new ReissueSelection.One(later.Uvci), null, 10)).Entry.Uvci);

        // Re-issue the first 10; again with the same key: AlreadyIssued; a second successor under another key: the link refuses it.
        var successors = expiring.Take(10).Select(old => Successor(old)).ToList();
        Assert.All(await ledger.RecordIssuedManyAsync(successors), r => Assert.Equal(RecordOutcome.Recorded, r.Outcome));
        var replay = await ledger.RecordIssuedManyAsync(expiring.Take(10).Select(old => Successor(old)).ToList());
        Assert.All(replay, r => Assert.Equal(RecordOutcome.AlreadyIssued, r.Outcome));
        Assert.Equal(successors.Select(s => s.Uvci), replay.Select(r => r.Entry!.Uvci));
        var second = await ledger.RecordIssuedAsync(Successor(expiring[0], suffix: "other"));
        Assert.Equal(RecordOutcome.UvciTaken, second.Outcome);

        var stored = (await ledger.FindByUvciAsync(successors[0].Uvci))!;
        Assert.Equal((2, expiring[0].Uvci), (stored.Certificate.Generation, stored.Certificate.ReissueOf));
        Assert.Equal(successors[0].Uvci, (await reissue.FindReissueOfAsync(expiring[0].Uvci))!.Uvci);
        Assert.Null(await reissue.FindReissueOfAsync(expiring[10].Uvci));
        var untouched = (await ledger.FindByUvciAsync(expiring[0].Uvci))!;  // the old certificate is kept exactly as issued
        Assert.Equal(CertificateDigest.Compute(expiring[0]), CertificateDigest.Compute(untouched.Certificate));
        Assert.Equal((1, null, CertificateStatus.Issued), (untouched.Certificate.Generation, untouched.Certificate.ReissueOf, untouched.Status));

        var page1 = await reissue.ListReissueCandidatesAsync(wave, null, 100);
        var linked = page1.Where(c => c.SuccessorUvci is not null).ToDictionary(c => c.Entry.Uvci, c => c.SuccessorUvci);
        Assert.Equal(successors.ToDictionary(s => s.ReissueOf!, s => (string?)s.Uvci), linked);
        Assert.Equal(23, page1.Count); // the successors expire a year later: outside the wave

        var audit = new List<AuditEntry>();
        await foreach (var a in ledger.ReadAuditAsync()) audit.Add(a);
        Assert.Equal(successors.Select(s => s.Uvci), audit.Where(a => a.Event == nameof(AuditEvent.Reissued)).Select(a => a.Subject));
        Assert.Contains($"\"reissue_of\":\"{expiring[0].Uvci}\"", audit.First(a => a.Event == nameof(AuditEvent.Reissued)).DetailsJson);
        Assert.Equal(24 + 10, (await ledger.GetCountsAsync()).Certificates);
        var report = await ledger.VerifyAuditChainAsync();
        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal(34, report.CertificatesChecked);

        // The link is part of the certificate digest: cutting it (or moving it) behind the ledger's back is caught.
        await ExecuteRawAsync(store, $"UPDATE certificates SET reissue_of = NULL, generation = 1 WHERE uvci = '{successors[3].Uvci}'", bypassTriggers: false);
        var broken = await ledger.VerifyAuditChainAsync();
        Assert.Equal(AuditBreakKind.CertificateMismatch, broken.FirstBreak?.Kind);
    }

    [Fact]
    public async Task Concurrent_reissues_of_one_certificate_over_several_instances_record_exactly_one()
    {
        var store = NewStore();
        var ledgers = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => OpenAsync(store)));
        try
        {
            var olds = Enumerable.Range(0, 40).Select(i => Samples.Certificate("HN001", $"c{i:D2}")).ToList();
            await ledgers[0].RecordIssuedManyAsync(olds);
            // Every instance re-issues all 40 at once with the same derived key and UVCI (as two servers running one wave would).
            var successors = olds.Select(o => Successor(o)).ToList();
            var results = await Task.WhenAll(Enumerable.Range(0, Instances * 2).Select(i =>
                ledgers[i % Instances].RecordIssuedManyAsync(successors.Select(s => s with { }).ToList())));
            for (var k = 0; k < olds.Count; k++)
                Assert.Equal(1, results.Count(r => r[k].Outcome == RecordOutcome.Recorded));
            Assert.All(results.SelectMany(r => r), r => Assert.Contains(r.Outcome, new[] { RecordOutcome.Recorded, RecordOutcome.AlreadyIssued }));
            var report = await ledgers[0].VerifyAuditChainAsync();
            Assert.True(report.Intact, report.FirstBreak?.Detail);
            Assert.Equal(80, report.CertificatesChecked);
        }
        finally
        {
            foreach (var l in ledgers) await l.DisposeAsync();
        }
    }
}
