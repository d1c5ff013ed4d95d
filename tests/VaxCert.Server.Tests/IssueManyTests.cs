using VaxCert.Core.Chain;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// IssueManyAsync (the batch path behind IssueBatch: one lookup, parallel signing, one group commit) answers every record
/// exactly as IssueAsync called once per record in the same order would, on a twin ledger.
/// </summary>
public sealed class IssueManyTests
{
    [Fact]
    public async Task A_mixed_batch_gets_the_outcomes_of_one_call_per_record_in_order()
    {
        var preIssued = Submissions.Valid(200);
        List<CoSignedRecord> batch =
        [
            Submissions.Valid(201),
            Submissions.Valid(202),
            Submissions.Valid(201),                                                          // again, in the same batch
            Submissions.CoSign(Submissions.Valid(202).Record with { DoseNumber = Submissions.Valid(202).Record.DoseNumber % 3 + 1 }, "HN001", "R-202"),
            Submissions.Valid(203) with { Record = Submissions.Valid(203).Record with { GivenName = "Changed" } },   // not what was co-signed
            Submissions.CoSign(Submissions.Valid(204).Record with { DoseNumber = 12 }, "HN001", "R-204"),
            Submissions.Valid(205) with { FacilityCode = "HCM01" },
            preIssued,                                                                        // issued before the batch
            preIssued with { Record = preIssued.Record with { GivenName = "Changed" } },      // its replay, tampered
            .. Enumerable.Range(300, 40).Select(i => Submissions.Valid(i)),
        ];

        var many = await IssueAsync(preIssued, service => service.IssueManyAsync(batch));
        var single = await IssueAsync(preIssued, async service =>
        {
            var outcomes = new List<IssueOutcome>();
            foreach (var s in batch)
                outcomes.Add(await service.IssueAsync(s));
            return outcomes;
        });

        Assert.Equal(single.Outcomes.Select(Describe), many.Outcomes.Select(Describe));
        // The same certificates; the batch's in-batch conflict (#3 against #1) is decided by the ledger as when two calls
        // race, which also logs it as a Refused audit entry: one audit entry more than the sequential run.
        Assert.Equal(single.Counts with { AuditEntries = single.Counts.AuditEntries + 1 }, many.Counts);
        Assert.True(many.ChainIntact);
        Assert.Equal(39 + 3, many.Outcomes.Count(o => o.Certificate is { AlreadyIssued: false }));
    }

    private static string Describe(IssueOutcome o) => o.Certificate is { } c
        ? $"issued {c.Uvci} already={c.AlreadyIssued} revoked={c.Revoked}"
        : $"refused {o.Refusal}";

    private static async Task<(IReadOnlyList<IssueOutcome> Outcomes, LedgerCounts Counts, bool ChainIntact)> IssueAsync(CoSignedRecord preIssued,
        Func<CertificateIssuanceService, Task<IReadOnlyList<IssueOutcome>>> run)
    {
        await using var service = await CertificateIssuanceService.CreateDevelopmentAsync(RepoPaths.KeysDev,
            LedgerSpec.Parse("sqlite:" + Path.Combine(RepoPaths.NewTempDir("issue-many"), "ledger.db")));
        Assert.True((await service.IssueAsync(preIssued)).Issued);
        var outcomes = await run(service);
        var verifier = new TwoLevelVerifier(service.Trust.DocumentSigners, new FacilityAttestationVerifier(service.Trust.FacilityTrust));
        foreach (var c in outcomes.Where(o => o.Issued).Select(o => o.Certificate!))
        {
            Assert.True(verifier.Verify(c.Hc1, DateTimeOffset.UtcNow).IsValid);
            Assert.Equal(c.Hc1, (await service.GetAsync(c.Uvci))!.Hc1);
        }
        return (outcomes, await service.Ledger.GetCountsAsync(), (await service.Ledger.VerifyAuditChainAsync()).Intact);
    }
}
