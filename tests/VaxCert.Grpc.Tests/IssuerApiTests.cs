using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Server;
using VaxCert.Grpc.Tests.Support;
using VaxCert.Grpc.V1;

namespace VaxCert.Grpc.Tests;

/// <summary>
/// The vaxcert.v1.Issuer mapping and typed client over a real host. The service here is a test double (the real one is
/// wired to the core issuer in VaxCert.Server); what is under test is paths, message types, streaming and error details.
/// </summary>
public class IssuerApiTests
{
    private sealed class RecordingIssuer : IIssuerService
    {
        public Task<IssueResponse> IssueAsync(IssueRequest request, GrpcCallContext context) =>
            request.DoseNumber > request.TotalDoses
                ? throw new GrpcStatusException(StatusCode.InvalidArgument, "dose number exceeds total doses",
                    "DOSE_NUMBER_OUT_OF_RANGE", "dose_number")
                : Task.FromResult(new IssueResponse
                {
                    Uvci = request.CertificateId,
                    Hc1 = "HC1:" + request.FacilityRecordId,
                    SignerKid = request.Attestation.Kid,
                    IssuedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)),
                });

        public async Task IssueBatchAsync(IssueBatchRequest request, GrpcStreamWriter<IssueBatchResult> results, GrpcCallContext context)
        {
            for (var i = 0; i < request.Records.Count; i++)
            {
                var record = request.Records[i];
                var result = new IssueBatchResult { Index = i, FacilityRecordId = record.FacilityRecordId };
                try
                {
                    result.Issued = await IssueAsync(record, context);
                }
                catch (GrpcStatusException e)
                {
                    result.Refused = new Refusal { Reason = e.Status.Reason ?? "", Field = e.Status.Field ?? "", Message = e.Message };
                }
                await results.WriteAsync(result);
            }
        }

        public Task<RevokeResponse> RevokeAsync(RevokeRequest request, GrpcCallContext context) =>
            throw new GrpcStatusException(StatusCode.NotFound, $"no certificate {request.Uvci}");

        public Task<IssueResponse> GetCertificateAsync(GetCertificateRequest request, GrpcCallContext context) =>
            Task.FromResult(new IssueResponse { Uvci = request.Uvci, AlreadyIssued = true });

        public Task<TrustList> GetTrustListAsync(GetTrustListRequest request, GrpcCallContext context) =>
            Task.FromResult(new TrustList { Signers = { new TrustedCertificate { Country = "VN", Type = "DSC" } } });
    }

    private static IssueRequest Record(string id, int dose, int total) => new()
    {
        FacilityCode = "79-HCM-0123",
        FacilityRecordId = id,
        CertificateId = "URN:UVCI:01:VN:" + id,
        DoseNumber = dose,
        TotalDoses = total,
        Attestation = new FacilityAttestation { Kid = ByteString.CopyFrom(1, 2, 3, 4, 5, 6, 7, 8), Algorithm = SignatureAlgorithm.Es256 },
    };

    [Fact]
    public async Task All_five_methods_are_reachable_through_the_typed_client()
    {
        await using var host = await LoopbackGrpcHost.StartCleartextAsync(app => app.MapIssuer(new RecordingIssuer()));
        using var channel = new GrpcClient(host.Address);
        var issuer = new IssuerClient(channel);

        var issued = await issuer.IssueAsync(Record("R-1", 1, 2));
        var refused = await Assert.ThrowsAsync<GrpcCallException>(() => issuer.IssueAsync(Record("R-2", 3, 2)));
        var batch = new List<IssueBatchResult>();
        await foreach (var r in issuer.IssueBatchAsync(new IssueBatchRequest { Records = { Record("A", 1, 2), Record("B", 3, 2) } }))
            batch.Add(r);
        var revoke = await Assert.ThrowsAsync<GrpcCallException>(() => issuer.RevokeAsync(new RevokeRequest { Uvci = "X", Reason = "test" }));
        var again = await issuer.GetCertificateAsync(new GetCertificateRequest { Uvci = "URN:UVCI:01:VN:R-1" });
        var trust = await issuer.GetTrustListAsync(new GetTrustListRequest());

        Assert.Equal(("URN:UVCI:01:VN:R-1", "HC1:R-1"), (issued.Uvci, issued.Hc1));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, issued.SignerKid.ToByteArray());
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), issued.IssuedAt.ToDateTimeOffset());
        Assert.Equal((StatusCode.InvalidArgument, "DOSE_NUMBER_OUT_OF_RANGE", "dose_number"),
            (refused.StatusCode, refused.Status.Reason, refused.Status.Field));
        Assert.Equal([IssueBatchResult.OutcomeOneofCase.Issued, IssueBatchResult.OutcomeOneofCase.Refused], batch.Select(b => b.OutcomeCase));
        Assert.Equal(("B", 1, "DOSE_NUMBER_OUT_OF_RANGE"), (batch[1].FacilityRecordId, batch[1].Index, batch[1].Refused.Reason));
        Assert.Equal(StatusCode.NotFound, revoke.StatusCode);
        Assert.True(again.AlreadyIssued);
        Assert.Equal("DSC", trust.Signers.Single().Type);
    }
}
