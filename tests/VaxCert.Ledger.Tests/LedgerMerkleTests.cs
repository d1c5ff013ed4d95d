using System.Security.Cryptography;
using VaxCert.Ledger.Merkle;

namespace VaxCert.Ledger.Tests;

/// <summary>
/// The Merkle audit log (docs/ledger.md, "Merkle audit log") on SQLite and PostgreSQL: heads signed with group commits,
/// inclusion and consistency proofs from the stored subtrees, tampering found, a ledger from before the log caught up.
/// </summary>
public abstract partial class LedgerContractTests
{
    /// <summary>SQL that switches off the append-only triggers of merkle_nodes and tree_heads.</summary>
    protected abstract string BypassMerkleTriggersSql { get; }

    private static readonly ECDsa LogKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private async Task<(ICertificateLedger Ledger, IMerkleAuditLog Log)> OpenSignedAsync(string store)
    {
        var ledger = await OpenAsync(store);
        var log = (IMerkleAuditLog)ledger;
        log.CommitSigner = new EcdsaTreeHeadSigner(LogKey);
        return (ledger, log);
    }

    [Fact]
    public async Task Every_group_commit_signs_a_head_and_proofs_from_stored_subtrees_verify_against_the_recomputed_roots()
    {
        var (ledger, log) = await OpenSignedAsync(NewStore());
        await using var _ = ledger;
        var batches = new[] { 1, 7, 300, 2, 64, 129 };
        var all = new List<CertificateToRecord>();
        foreach (var (size, b) in batches.Select((s, b) => (s, b)))
        {
            var batch = Enumerable.Range(0, size).Select(i => Samples.Certificate($"MK-{b}", $"rec-{i}")).ToList();
            all.AddRange(batch);
            await ledger.RecordIssuedManyAsync(batch);
        }
        await ledger.RevokeAsync(all[5].Uvci, "fraud");
        await ledger.AppendAuditAsync(AuditEvent.Refused, "", "MK-0", """{"reason":"attestation-invalid"}""");

        var entries = await ledger.ReadAuditAsync().ToListAsync();
        var heads = await log.ListTreeHeadsAsync().ToListAsync();
        var latest = await log.GetLatestTreeHeadAsync();
        Assert.Equal(entries.Count, latest!.TreeSize);
        Assert.True(heads.Count >= batches.Length + 2); // one head per transaction, never one per record
        Assert.True(heads.Count < entries.Count / 4);
        foreach (var head in heads)
        {
            Assert.True(head.VerifySignature(LogKey));
            Assert.Equal(MerkleTree.Root(entries.Take((int)head.TreeSize).Select(e => MerkleTree.LeafHash(AuditHash.Compute(e)))), head.RootHash);
            Assert.Equal(head.RootHash, await log.GetRootAsync(head.TreeSize));
        }
        foreach (var cert in all.Where((_, i) => i % 37 == 0).Append(all[^1]))
        {
            var proof = await log.GetInclusionProofAsync(cert.Uvci, latest.TreeSize);
            Assert.NotNull(proof);
            Assert.Equal(cert.Uvci, proof.Entry.Subject);
            Assert.True(proof.Verify(latest.RootHash));
            Assert.False(proof.Verify(heads[0].RootHash));
        }
        for (var i = 0; i < heads.Count; i++)
        for (var j = i; j < heads.Count; j += 3)
        {
            var proof = await log.GetConsistencyProofAsync(heads[i].TreeSize, heads[j].TreeSize);
            Assert.True(MerkleTree.VerifyConsistency(heads[i].TreeSize, heads[j].TreeSize, heads[i].RootHash, heads[j].RootHash, proof),
                $"{heads[i].TreeSize} -> {heads[j].TreeSize}");
        }
        var report = await log.VerifyMerkleLogAsync(LogKey);
        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal((entries.Count, heads.Count, true), (report.Leaves, report.TreeHeads, report.SignaturesChecked));
        Assert.Null(await log.GetInclusionProofAsync("URN:UVCI:01:VN:NOPE", latest.TreeSize));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.GetConsistencyProofAsync(1, latest.TreeSize + 1));
    }

    [Fact]
    public async Task Concurrent_instances_build_one_tree_and_on_demand_heads_are_idempotent()
    {
        var store = NewStore();
        var opened = new List<(ICertificateLedger Ledger, IMerkleAuditLog Log)>();
        for (var i = 0; i < Instances; i++)
            opened.Add(await OpenSignedAsync(store));
        try
        {
            await Task.WhenAll(opened.SelectMany((o, n) => Enumerable.Range(0, 40).Select(i =>
                o.Ledger.RecordIssuedAsync(Samples.Certificate($"CC-{n}", $"rec-{i}")))));
            var log = opened[0].Log;
            var signer = new EcdsaTreeHeadSigner(LogKey);
            var head = await log.SignTreeHeadAsync(signer);
            Assert.Equal(head.Signature, (await log.SignTreeHeadAsync(signer)).Signature);
            Assert.Equal(40 * Instances, head.TreeSize);
            var report = await log.VerifyMerkleLogAsync(LogKey);
            Assert.True(report.Intact, report.FirstBreak?.Detail);
        }
        finally
        {
            foreach (var (ledger, _) in opened)
                await ledger.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_changed_entry_fails_its_inclusion_proof_and_the_log_check_names_the_first_head_it_breaks()
    {
        var store = NewStore();
        var (ledger, log) = await OpenSignedAsync(store);
        await using (ledger)
        {
            await ledger.RecordIssuedManyAsync(Enumerable.Range(0, 10).Select(i => Samples.Certificate("TM", $"rec-{i}")).ToList());
            await ledger.RecordIssuedManyAsync(Enumerable.Range(10, 10).Select(i => Samples.Certificate("TM", $"rec-{i}")).ToList());
        }
        // A DBA rewrites entry 12's content: its leaf is recomputed from the content, so no signed root covers it any more.
        await ExecuteRawAsync(store, "UPDATE audit_log SET facility = 'XX' WHERE seq = 12", bypassTriggers: true);

        (ledger, log) = await OpenSignedAsync(store);
        await using (ledger)
        {
            var latest = (await log.GetLatestTreeHeadAsync())!;
            var proof = (await log.GetInclusionProofAsync(12, latest.TreeSize))!;
            Assert.False(proof.Verify(latest.RootHash));
            Assert.True((await log.GetInclusionProofAsync(3, latest.TreeSize))!.Verify(latest.RootHash));
            var report = await log.VerifyMerkleLogAsync(LogKey);
            Assert.Equal((MerkleBreakKind.RootMismatch, 20L), (report.FirstBreak?.Kind, report.FirstBreak?.TreeSize));

            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Assert.Equal(MerkleBreakKind.BadSignature, (await log.VerifyMerkleLogAsync(other)).FirstBreak?.Kind);
        }
    }

    [Fact]
    public async Task Stored_subtrees_are_append_only_and_a_changed_one_is_found()
    {
        var store = NewStore();
        var (ledger, log) = await OpenSignedAsync(store);
        await using (ledger)
        {
            await ledger.RecordIssuedManyAsync(Enumerable.Range(0, 16).Select(i => Samples.Certificate("ND", $"rec-{i}")).ToList());
            await ledger.RecordIssuedManyAsync(Enumerable.Range(16, 5).Select(i => Samples.Certificate("ND", $"rec-{i}")).ToList());
        }
        var refused = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "DELETE FROM merkle_nodes", bypassTriggers: false));
        Assert.Contains("append-only", refused?.Message ?? "(no exception)");
        var refusedHead = await Record.ExceptionAsync(() => ExecuteRawAsync(store, "UPDATE tree_heads SET tree_size = 99", bypassTriggers: false));
        Assert.Contains("append-only", refusedHead?.Message ?? "(no exception)");

        await ExecuteRawAsync(store, BypassMerkleTriggersSql + $"UPDATE merkle_nodes SET hash = {HexLiteral(new string('7', 64))} WHERE level = 4 AND idx = 0",
            bypassTriggers: false);
        (ledger, log) = await OpenSignedAsync(store);
        await using (ledger)
        {
            var report = await log.VerifyMerkleLogAsync(LogKey);
            Assert.Equal(MerkleBreakKind.StoredNodeMismatch, report.FirstBreak?.Kind);
            var latest = (await log.GetLatestTreeHeadAsync())!;
            Assert.False((await log.GetInclusionProofAsync(20, latest.TreeSize))!.Verify(latest.RootHash));
        }
    }

    [Fact]
    public async Task A_mass_revocation_signs_one_head_per_chunk_not_one_per_certificate()
    {
        var (ledger, log) = await OpenSignedAsync(NewStore());
        await using var _ = ledger;
        var count = IRevocationLedger.BulkRevokeChunk + 20;
        await ledger.RecordIssuedManyAsync(Enumerable.Range(0, count).Select(i => Samples.Certificate("BULK", $"rec-{i}")).ToList());
        var before = await log.ListTreeHeadsAsync().CountAsync();

        var result = await ((IRevocationLedger)ledger).RevokeAllAsync(new RevocationScope.Facility("BULK"), "facility-closed", "test");

        Assert.Equal(count, result.Revoked);
        var heads = await log.ListTreeHeadsAsync().ToListAsync();
        Assert.Equal(before + 2, heads.Count); // two transactions: a full chunk, then the rest with the BulkRevoked entry
        Assert.Equal(result.AuditSeq, heads[^1].TreeSize);
        Assert.True((await log.VerifyMerkleLogAsync(LogKey)).Intact);
    }

    [Fact]
    public async Task A_ledger_whose_entries_predate_the_merkle_log_is_caught_up_on_open()
    {
        var store = NewStore();
        await using (var ledger = await OpenAsync(store))
            await FillAsync(ledger, 23);
        // As a v1 ledger migrated to v2 looks: entries, no nodes, merkle_size 0.
        await ExecuteRawAsync(store, BypassMerkleTriggersSql + "DELETE FROM merkle_nodes; UPDATE ledger_head SET merkle_size = 0", bypassTriggers: false);

        var (reopened, log) = await OpenSignedAsync(store);
        await using (reopened)
        {
            await reopened.RecordIssuedAsync(Samples.Certificate("TEST", "after"));
            var entries = await reopened.ReadAuditAsync().ToListAsync();
            Assert.Equal(MerkleTree.Root(entries.Select(e => MerkleTree.LeafHash(e.EntryHash))), await log.GetRootAsync(24));
            Assert.True((await log.VerifyMerkleLogAsync(LogKey)).Intact);
        }
    }
}
