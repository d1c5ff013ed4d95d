using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 12 at the issuance service: item 2 (a record id that is a citizen's CCCD/CMND/passport number is refused and
/// never logged or stored) and item 9 (a replay must carry a co-signature that verifies; a revoked certificate handed
/// back says so).
/// </summary>
public sealed class IssuanceReplayAndIdentifierTests : IAsyncLifetime
{
    private readonly CapturingLogger _log = new();
    private CertificateIssuanceService _service = null!;

    public async Task InitializeAsync() =>
        _service = await CertificateIssuanceService.CreateDevelopmentAsync(RepoPaths.KeysDev,
            LedgerSpec.Parse("sqlite:" + Path.Combine(RepoPaths.NewTempDir("issuance-replay"), "ledger.db")), _log);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("001187012345")]       // CCCD
    [InlineData("CCCD-079090001234")]  // CCCD inside an id
    [InlineData("001 187 012 345")]    // CCCD typed in groups
    [InlineData("123456789")]          // CMND
    [InlineData("C1234567")]           // Vietnamese passport
    public async Task A_record_id_that_looks_like_a_personal_identifier_is_refused_and_never_logged_or_stored(string recordId)
    {
        var submission = Submissions.Valid(40, recordId: recordId);
        var junk = submission with { Attestation = submission.Attestation with { Value = new byte[64] } }; // would be audited

        foreach (var attempt in new[] { submission, junk })
        {
            var outcome = await _service.IssueAsync(attempt);

            Assert.False(outcome.Issued);
            Assert.Equal((RefusalKind.InvalidRequest, ReasonCodes.RecordIdLooksLikePersonalId, "FacilityRecordId"),
                (outcome.Refusal!.Kind, outcome.Refusal.Reason, outcome.Refusal.Field));
            Assert.DoesNotContain(recordId, outcome.Refusal.Message);
        }
        Assert.Equal(new LedgerCounts(0, 0, 0), await _service.Ledger.GetCountsAsync());
        var digits = new string(recordId.Where(char.IsAsciiDigit).ToArray());
        Assert.DoesNotContain(_log.Lines, line => line.Contains(recordId) || line.Contains(digits));
    }

    [Fact]
    public async Task Ordinary_record_ids_are_still_issued()
    {
        foreach (var (recordId, seed) in new[] { ("2021-000123", 41), ("R0000001", 42), ("HN001-R123456", 43) })
            Assert.True((await _service.IssueAsync(Submissions.Valid(seed, recordId: recordId))).Issued, recordId);
    }

    [Fact]
    public async Task A_replay_with_a_junk_co_signature_is_refused_and_never_gets_the_stored_certificate()
    {
        var original = Submissions.Valid(44, recordId: "R-replay");
        Assert.True((await _service.IssueAsync(original)).Issued);
        var zeroed = original with { Attestation = original.Attestation with { Value = new byte[original.Attestation.Value.Length] } };
        var otherFacility = Submissions.CoSign(original.Record, "HN001", "R-replay", Submissions.Facility("HCM01"));
        var digestOnly = original with { Attestation = original.Attestation.ToDigestForm() };

        foreach (var replay in new[] { zeroed, otherFacility, digestOnly })
        {
            var outcome = await _service.IssueAsync(replay);

            Assert.Null(outcome.Certificate);
            Assert.Equal(RefusalKind.AttestationRejected, outcome.Refusal!.Kind);
        }
        var audit = await _service.Ledger.ReadAuditAsync().ToListAsync();
        Assert.Equal(3, audit.Count(a => a.Event == nameof(AuditEvent.Refused)));
        Assert.True((await _service.IssueAsync(original)).Certificate!.AlreadyIssued); // the genuine replay still works
    }

    [Fact]
    public async Task A_revoked_certificate_handed_back_by_issue_or_get_is_flagged_revoked()
    {
        var submission = Submissions.Valid(45, recordId: "R-revoked");
        var issued = (await _service.IssueAsync(submission)).Certificate!;
        Assert.False(issued.Revoked);
        Assert.False((await _service.GetAsync(issued.Uvci))!.Revoked);
        Assert.False((await _service.IssueAsync(submission)).Certificate!.Revoked);

        var revocation = await _service.RevokeAsync(issued.Uvci, "fraud");
        var replay = (await _service.IssueAsync(submission)).Certificate!;
        var lookup = (await _service.GetAsync(issued.Uvci))!;

        foreach (var served in new[] { replay, lookup })
        {
            Assert.True(served.Revoked);
            Assert.Equal(revocation.RevokedAt, served.RevokedAt);
            Assert.Equal(issued.Uvci, served.Uvci);
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _lines.Enqueue(formatter(state, exception) + exception);
    }
}
