using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Health.V1;
using VaxCert.Core.Chain;
using VaxCert.Grpc.V1;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>The real server on a loopback port, called by python grpcio (another gRPC stack), ledger on SQLite.</summary>
public sealed class PythonClientTests : IAsyncLifetime
{
    private IssuerServer _server = null!;

    public async Task InitializeAsync() => _server = await ServerHost.StartAsync(ServerHost.Settings());
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private TwoLevelVerifier Verifier() =>
        new(_server.Service.Trust.DocumentSigners, new FacilityAttestationVerifier(_server.Service.Trust.FacilityTrust));

    [Fact]
    public async Task Issue_replay_get_with_QR_revoke_trust_list_and_health_through_python_grpcio()
    {
        var submission = Submissions.Valid(100);
        var request = Requests.From(submission);
        var calls = PythonServerClient.Run(_server.Address, [
            ("Health", new HealthCheckRequest(), null),
            ("Issue", request, null),
            ("Issue", request, null),
            ("GetCertificate", new GetCertificateRequest { Uvci = submission.Record.CertificateId, Options = new IssueOptions { WantQrPng = true } }, null),
            ("Revoke", new RevokeRequest { Uvci = submission.Record.CertificateId, Reason = "data-error" }, null),
            ("GetTrustList", new GetTrustListRequest(), null),
            ("Revoke", new RevokeRequest { Uvci = "URN:UVCI:01:VN:HN001/UNKNOWN#Q", Reason = "fraud" }, null),
        ]);

        Assert.All(calls.Take(6), c => Assert.Equal("OK", c.Code));
        Assert.Equal("SERVING", calls[0].Responses[0].GetProperty("status").GetString());
        var first = calls[1].Responses[0];
        var hc1 = first.GetProperty("hc1").GetString()!;
        Assert.Equal(submission.Record.CertificateId, first.GetProperty("uvci").GetString());
        Assert.False(first.TryGetProperty("already_issued", out _)); // false is the proto default, omitted
        Assert.True(Verifier().Verify(hc1, DateTimeOffset.UtcNow).IsValid);

        var replay = calls[2].Responses[0];
        Assert.True(replay.GetProperty("already_issued").GetBoolean());
        Assert.Equal(hc1, replay.GetProperty("hc1").GetString());

        // The re-rendered QR is read back by zbarimg to the exact HC1 string.
        var png = Convert.FromBase64String(calls[3].Responses[0].GetProperty("qr_png").GetString()!);
        Assert.Equal(hc1, Zbar.DecodePng(png));

        var trust = calls[5].Responses[0];
        var expectedHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(submission.Record.CertificateId)));
        Assert.Contains(trust.GetProperty("revoked_uvci_hashes").EnumerateArray(), h => h.GetString() == expectedHash);
        var signer = Assert.Single(trust.GetProperty("signers").EnumerateArray());
        Assert.Equal(Convert.ToBase64String(_server.Service.Signer.Certificate.RawData), signer.GetProperty("der").GetString());

        Assert.Equal(("NOT_FOUND", "NOT_FOUND", "uvci"), (calls[6].Code, calls[6].Reason, calls[6].Field));
        Assert.Equal(1, (await _server.Service.Ledger.GetCountsAsync()).Certificates);
    }

    [Fact]
    public void Errors_carry_status_reason_and_field_and_never_exception_text()
    {
        var good = Submissions.Valid(200);
        var invalid = Requests.From(Submissions.CoSign(good.Record with { DoseNumber = 12 }, "HN001", "R-bad-dose"));
        var tampered = Requests.From(good);
        tampered.DateOfVaccination = good.Record.DateOfVaccination.AddDays(-1).ToString("yyyy-MM-dd");
        var badDate = Requests.From(good);
        badDate.DateOfVaccination = "31/12/2021";
        var noAttestation = Requests.From(good);
        noAttestation.Attestation = null;
        var conflict = Requests.From(Submissions.CoSign(good.Record with { DoseNumber = good.Record.DoseNumber % 3 + 1 }, "HN001", good.FacilityRecordId));

        var calls = PythonServerClient.Run(_server.Address, [
            ("Issue", invalid, null), ("Issue", tampered, null), ("Issue", badDate, null), ("Issue", noAttestation, null),
            ("Issue", Requests.From(good), null), ("Issue", conflict, null),
            ("Issue", new IssueRequest(), null),
            ("Health", new HealthCheckRequest { Service = "no.such.Service" }, null),
        ]);

        Assert.Equal(("INVALID_ARGUMENT", "OUT_OF_RANGE", "dose_number"), (calls[0].Code, calls[0].Reason, calls[0].Field));
        Assert.StartsWith("dose_number: OUT_OF_RANGE", calls[0].Details);
        Assert.Equal(("PERMISSION_DENIED", "RECORD_CHANGED_AFTER_SIGNING", "attestation"), (calls[1].Code, calls[1].Reason, calls[1].Field));
        Assert.Equal(("INVALID_ARGUMENT", "FORMAT", "date_of_vaccination"), (calls[2].Code, calls[2].Reason, calls[2].Field));
        Assert.Equal(("INVALID_ARGUMENT", "REQUIRED", "attestation"), (calls[3].Code, calls[3].Reason, calls[3].Field));
        Assert.Equal("OK", calls[4].Code);
        Assert.Equal(("ALREADY_EXISTS", "FACILITY_RECORD_ID_REUSED", "facility_record_id"), (calls[5].Code, calls[5].Reason, calls[5].Field));
        Assert.Equal("INVALID_ARGUMENT", calls[6].Code);
        Assert.Equal("NOT_FOUND", calls[7].Code);
        Assert.All(calls, c => Assert.DoesNotContain("Exception", c.Details));
    }

    [Fact]
    public async Task IssueBatch_streams_one_result_per_record_and_bad_records_do_not_fail_the_batch()
    {
        var batch = Requests.Batch(300, 12);
        batch.Records[3].DoseNumber = 12;                                   // invalid field, and the signature no longer covers it
        batch.Records[7].Attestation.Signature = ByteString.CopyFrom(new byte[64]); // forged co-signature
        batch.Records[9].DateOfVaccination = "2021-13-45";                   // unparseable
        batch.Records.Add(batch.Records[0]);                                 // a replay inside the batch

        var call = Assert.Single(PythonServerClient.Run(_server.Address, [("IssueBatch", batch, null)]));

        Assert.Equal("OK", call.Code);
        Assert.Equal(13, call.Responses.Count);
        var byIndex = call.Responses.ToDictionary(r => r.TryGetProperty("index", out var i) ? i.GetInt32() : 0);
        Assert.Equal(Enumerable.Range(0, 13), byIndex.Keys.Order());
        Assert.Equal("RECORD_CHANGED_AFTER_SIGNING", byIndex[3].GetProperty("refused").GetProperty("reason").GetString());
        Assert.Equal("RECORD_CHANGED_AFTER_SIGNING", byIndex[7].GetProperty("refused").GetProperty("reason").GetString());
        Assert.Equal("date_of_vaccination", byIndex[9].GetProperty("refused").GetProperty("field").GetString());
        Assert.True(byIndex[12].GetProperty("issued").GetProperty("already_issued").GetBoolean());
        var issued = byIndex.Values.Where(r => r.TryGetProperty("issued", out _)).ToList();
        Assert.Equal(10, issued.Count);
        Assert.All(issued, r => Assert.True(Verifier().Verify(r.GetProperty("issued").GetProperty("hc1").GetString()!, DateTimeOffset.UtcNow).IsValid));
        Assert.Equal(9, (await _server.Service.Ledger.GetCountsAsync()).Certificates);
    }

    [Fact]
    public async Task A_batch_past_its_deadline_stops_with_DEADLINE_EXCEEDED_and_the_ledger_stays_consistent()
    {
        // Sized so the batch cannot finish inside the deadline on any plausible machine: 10,000 records (the server's
        // batch cap) in 0.2 s would be 50,000 certificates/s, over 3x the per-node target. 400 records once finished
        // in time on CI's faster machine after group commit landed.
        const int records = 10_000;
        var batch = Requests.Batch(1000, records);
        var call = Assert.Single(PythonServerClient.Run(_server.Address, [("IssueBatch", batch, 0.2)]));

        Assert.Equal("DEADLINE_EXCEEDED", call.Code);
        Assert.True(call.Responses.Count < records, $"{call.Responses.Count} results arrived before the deadline");
        // The server stopped between records: whatever it recorded is intact and a resubmission completes the batch.
        Assert.True((await _server.Service.Ledger.VerifyAuditChainAsync()).Intact);
        var again = Assert.Single(PythonServerClient.Run(_server.Address, [("IssueBatch", batch, null)]));
        Assert.Equal(records, again.Responses.Count(r => r.TryGetProperty("issued", out _)));
        Assert.Equal(records, (await _server.Service.Ledger.GetCountsAsync()).Certificates);
    }
}
