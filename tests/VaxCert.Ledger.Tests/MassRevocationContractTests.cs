namespace VaxCert.Ledger.Tests;

// Issue 13: IRevocationLedger on both engines - mass revocation across chunk boundaries, and the revocation stream by seq.
public abstract partial class LedgerContractTests
{
    [Fact]
    public async Task RevokeAll_crosses_chunk_boundaries_revokes_only_its_scope_once_and_the_state_verifies()
    {
        var store = NewStore();
        await using var ledger = await OpenAsync(store);
        var bulk = Assert.IsAssignableFrom<IRevocationLedger>(ledger);
        var inScope = IRevocationLedger.BulkRevokeChunk * 2 + 7; // three chunks, the last one partial
        for (var i = 0; i < inScope; i++)
            await ledger.RecordIssuedAsync(Samples.Certificate("HN001", $"r{i:D5}"));
        var otherKid = Samples.Certificate("HCM01", "x1") with { SignerKid = [1, 2, 3, 4, 5, 6, 7, 8] };
        await ledger.RecordIssuedAsync(otherKid);
        var sameKidOtherFacility = Samples.Certificate("HCM01", "x2");
        await ledger.RecordIssuedAsync(sameKidOtherFacility);
        var early = Samples.Certificate("HN001", "r-early");
        await ledger.RecordIssuedAsync(early);
        await ledger.RevokeAsync(early.Uvci, "data-error");

        var first = await bulk.RevokeAllAsync(new RevocationScope.Facility("HN001"), "facility-closed", "test");
        var again = await bulk.RevokeAllAsync(new RevocationScope.Facility("HN001"), "facility-closed", "test");
        var byKid = await bulk.RevokeAllAsync(new RevocationScope.Signer([0xAA, 0xBB, 0xCC, 0xDD, 0x11, 0x22, 0x33, 0x44]), "key-compromise", "test");

        Assert.Equal((inScope, 1L), (first.Revoked, first.AlreadyRevoked));
        Assert.Equal((0L, inScope + 1), (again.Revoked, again.AlreadyRevoked));
        Assert.Equal((1L, inScope + 1), (byKid.Revoked, byKid.AlreadyRevoked)); // only HCM01/x2 was left under that kid
        Assert.Equal(CertificateStatus.Issued, (await ledger.FindByUvciAsync(otherKid.Uvci))!.Status);
        Assert.Equal("data-error", (await ledger.FindByUvciAsync(early.Uvci))!.RevocationReason);
        var counts = await ledger.GetCountsAsync();
        Assert.Equal(inScope + 2, counts.Revoked);
        var report = await ledger.VerifyAuditChainAsync();
        Assert.True(report.Intact, report.FirstBreak?.Detail);

        // The stream by audit seq: every revocation once, in seq order; a window holds exactly its own.
        var head = await bulk.GetAuditHeadSeqAsync();
        var all = new List<RevocationRecord>();
        await foreach (var r in bulk.ListRevocationsAsync(0, head))
            all.Add(r);
        Assert.Equal(inScope + 2, all.Count);
        Assert.Equal(all.Select(r => r.Seq).Order(), all.Select(r => r.Seq));
        Assert.Equal(all.Count, all.Select(r => r.Uvci).Distinct().Count());
        var after = new List<RevocationRecord>();
        await foreach (var r in bulk.ListRevocationsAsync(first.AuditSeq, head))
            after.Add(r);
        Assert.Equal(sameKidOtherFacility.Uvci, Assert.Single(after).Uvci);
        Assert.Equal(sameKidOtherFacility.Hc1, after[0].Hc1);
    }
}
