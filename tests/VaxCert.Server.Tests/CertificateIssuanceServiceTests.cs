using System.Security.Cryptography;
using System.Text;
using VaxCert.Core.Chain;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>The transport-free issuance service on a real SQLite ledger file with the dev keys.</summary>
public sealed class CertificateIssuanceServiceTests : IAsyncLifetime
{
    private CertificateIssuanceService _service = null!;

    public async Task InitializeAsync() =>
        _service = await CertificateIssuanceService.CreateDevelopmentAsync(RepoPaths.KeysDev,
            LedgerSpec.Parse("sqlite:" + Path.Combine(RepoPaths.NewTempDir("issuance"), "ledger.db")));

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private TwoLevelVerifier Verifier() =>
        new(_service.Trust.DocumentSigners, new FacilityAttestationVerifier(_service.Trust.FacilityTrust));

    [Fact]
    public async Task A_co_signed_record_is_issued_once_and_both_levels_verify()
    {
        var submission = Submissions.Valid(1);
        var first = await _service.IssueAsync(submission);
        Assert.True(first.Issued, first.Refusal?.Message);
        Assert.False(first.Certificate!.AlreadyIssued);
        Assert.Equal(submission.Record.CertificateId, first.Certificate.Uvci);
        Assert.True(Verifier().Verify(first.Certificate.Hc1, DateTimeOffset.UtcNow).IsValid);

        var replay = await _service.IssueAsync(submission);
        Assert.True(replay.Certificate!.AlreadyIssued);
        Assert.Equal(first.Certificate.Hc1, replay.Certificate.Hc1);
        var counts = await _service.Ledger.GetCountsAsync();
        Assert.Equal(1, counts.Certificates);
    }

    [Fact]
    public async Task Different_content_under_a_used_record_id_is_a_conflict_and_the_first_certificate_stands()
    {
        var original = Submissions.Valid(2, recordId: "R-same");
        Assert.True((await _service.IssueAsync(original)).Issued);
        var changed = Submissions.CoSign(original.Record with { DoseNumber = original.Record.DoseNumber % 3 + 1 }, "HN001", "R-same");

        var outcome = await _service.IssueAsync(changed);

        Assert.Equal(new Refusal(RefusalKind.Conflict, ReasonCodes.FacilityRecordIdReused, "FacilityRecordId",
            "facility_record_id was already issued with different content"), outcome.Refusal);
        Assert.Equal(original.Record.CertificateId, (await _service.GetAsync(original.Record.CertificateId))!.Uvci);
    }

    [Fact]
    public async Task A_record_changed_after_the_facility_signed_it_is_refused_and_audited()
    {
        var signed = Submissions.Valid(3);
        var tampered = signed with { Record = signed.Record with { DateOfVaccination = signed.Record.DateOfVaccination.AddDays(-1) } };

        var outcome = await _service.IssueAsync(tampered);

        Assert.Equal(RefusalKind.AttestationRejected, outcome.Refusal!.Kind);
        Assert.Equal("RECORD_CHANGED_AFTER_SIGNING", outcome.Refusal.Reason);
        Assert.Null(await _service.Ledger.FindByFacilityRecordAsync("HN001", "R-3"));
        var audit = await _service.Ledger.ReadAuditAsync().ToListAsync();
        Assert.Contains(audit, a => a.Event == nameof(AuditEvent.Refused) && a.DetailsJson.Contains("RECORD_CHANGED_AFTER_SIGNING"));
    }

    [Fact]
    public async Task A_facility_submitting_a_record_of_another_facility_is_refused()
    {
        // HCM01 co-signs a record whose UVCI belongs to HN001 and claims to be HN001: the co-signature is not HN001's.
        var record = Submissions.Valid(4).Record;
        var outcome = await _service.IssueAsync(Submissions.CoSign(record, "HN001", "R-4", Submissions.Facility("HCM01")));
        Assert.Equal("FACILITY_CODE_MISMATCH", outcome.Refusal!.Reason);
        Assert.Equal(RefusalKind.AttestationRejected, outcome.Refusal.Kind);

        // ... and a request whose facility_code is not the UVCI's facility is refused before any check.
        var mismatch = await _service.IssueAsync(Submissions.Valid(5) with { FacilityCode = "HCM01" });
        Assert.Equal(new Refusal(RefusalKind.InvalidRequest, ReasonCodes.FacilityCodeMismatch, "CertificateId",
            "the certificate id (UVCI) names another facility than facility_code"), mismatch.Refusal);
    }

    [Fact]
    public async Task An_invalid_field_is_refused_with_its_field_and_rule()
    {
        var record = Submissions.Valid(6).Record with { DoseNumber = 12 };
        var outcome = await _service.IssueAsync(Submissions.CoSign(record, "HN001", "R-6"));
        Assert.Equal(RefusalKind.InvalidRequest, outcome.Refusal!.Kind);
        Assert.Equal("DoseNumber", outcome.Refusal.Field);
        Assert.Equal("OUT_OF_RANGE", outcome.Refusal.Reason);
    }

    [Fact]
    public async Task A_revoked_certificate_appears_in_the_trust_list_by_the_hash_of_its_uvci()
    {
        var issued = (await _service.IssueAsync(Submissions.Valid(7))).Certificate!;
        Assert.Equal(RevocationStatus.Revoked, (await _service.RevokeAsync(issued.Uvci, "data-error")).Status);
        Assert.Equal(RevocationStatus.AlreadyRevoked, (await _service.RevokeAsync(issued.Uvci, "fraud")).Status);
        Assert.Equal(RevocationStatus.NotFound, (await _service.RevokeAsync("URN:UVCI:01:VN:HN001/NOPE#X", "fraud")).Status);

        var list = await _service.GetTrustListAsync();

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(issued.Uvci));
        Assert.Contains(list.RevokedUvciHashes, h => h.AsSpan().SequenceEqual(expected));
        Assert.Single(list.Certificates, c => c.Type == TrustedKeyType.Dsc);
        Assert.Single(list.Certificates, c => c.Type == TrustedKeyType.FacilityCa);
        Assert.Equal(4, list.Certificates.Count(c => c.Type == TrustedKeyType.Facility));
    }
}
