using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace VaxCert.Server.Tests;

/// <summary>mTLS: callers identified by client certificate, limited to their facilities; strangers refused at the TLS layer.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const int Burst = 10;
    private readonly string _dir = RepoPaths.NewTempDir("mtls");
    private TlsFiles _pki = null!;
    private IssuerServer _server = null!;

    public async Task InitializeAsync()
    {
        _pki = new TlsFiles(_dir, "operator");
        var (cert, key, _) = _pki.Issue("localhost", server: true);
        var settings = ServerHost.Settings();
        settings.Tls = new TlsSettings { Certificate = cert, Key = key, ClientCa = _pki.CaPem };
        settings.Callers =
        [
            new CallerSettings { Name = "hanoi", SubjectCn = "facility-HN001", Facilities = ["HN001"], CanRevoke = true },
            new CallerSettings { Name = "saigon", SubjectCn = "facility-HCM01", Facilities = ["HCM01"], CanRevoke = true },
        ];
        settings.RateLimit = new RateLimitSettings { PerSecond = 0.001, Burst = Burst };
        _server = await ServerHost.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_caller_may_submit_for_its_own_facility_only_and_a_stranger_is_refused_by_TLS()
    {
        var hanoi = _pki.Issue("facility-HN001", server: false);
        var stranger = new TlsFiles(RepoPaths.NewTempDir("stranger"), "elsewhere").Issue("facility-HN001", server: false); // same CN, other CA
        var calls = PythonServerClient.Run(_server.Address, [
            ("Issue", Requests.From(Submissions.Valid(500)), null),
            ("Issue", Requests.From(Submissions.Valid(501, facility: "HCM01")), null),
        ], (_pki.CaPem, hanoi.Cert, hanoi.Key));
        Assert.Equal("OK", calls[0].Code);
        Assert.Equal(("PERMISSION_DENIED", "FACILITY_NOT_ALLOWED", "facility_code"), (calls[1].Code, calls[1].Reason, calls[1].Field));

        var refused = Assert.Single(PythonServerClient.Run(_server.Address, [("Issue", Requests.From(Submissions.Valid(502)), null)],
            (_pki.CaPem, stranger.Cert, stranger.Key)));
        Assert.Equal("UNAVAILABLE", refused.Code); // handshake refused: no call ever reached the service
        Assert.Null(await _server.Service.Ledger.FindByFacilityRecordAsync("HN001", "R-502"));
    }

    [Fact]
    public async Task A_facility_caller_can_neither_read_nor_revoke_another_facilitys_certificates()
    {
        using var hanoiChannel = Channel(_pki.Issue("facility-HN001", server: false).WithKey);
        using var saigonChannel = Channel(_pki.Issue("facility-HCM01", server: false).WithKey);
        var hanoi = new Issuer.IssuerClient(hanoiChannel);
        var saigon = new Issuer.IssuerClient(saigonChannel);
        var issued = await hanoi.IssueAsync(Requests.From(Submissions.Valid(510)));
        var missing = Submissions.Valid(511).Record.CertificateId; // a well-formed HN001 UVCI that was never issued

        var read = await Assert.ThrowsAsync<RpcException>(() => saigon.GetCertificateAsync(new GetCertificateRequest { Uvci = issued.Uvci }).ResponseAsync);
        var revoke = await Assert.ThrowsAsync<RpcException>(() =>
            saigon.RevokeAsync(new RevokeRequest { Uvci = issued.Uvci, Reason = "fraud" }).ResponseAsync);
        var probe = await Assert.ThrowsAsync<RpcException>(() => saigon.GetCertificateAsync(new GetCertificateRequest { Uvci = missing }).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "FACILITY_NOT_ALLOWED", "uvci"), ServerHost.Failure(read));
        Assert.Equal((StatusCode.PermissionDenied, "FACILITY_NOT_ALLOWED", "uvci"), ServerHost.Failure(revoke));
        // The same answer for a UVCI that does not exist: another facility cannot probe which certificates exist.
        Assert.Equal((StatusCode.PermissionDenied, "FACILITY_NOT_ALLOWED", "uvci"), ServerHost.Failure(probe));
        Assert.DoesNotContain(Submissions.Valid(510).Record.FamilyName, read.Status.Detail);
        Assert.Equal(VaxCert.Ledger.CertificateStatus.Issued, (await _server.Service.Ledger.FindByUvciAsync(issued.Uvci))!.Status);

        // The owning facility reads it, revokes it, and then sees it flagged as revoked.
        Assert.False((await hanoi.GetCertificateAsync(new GetCertificateRequest { Uvci = issued.Uvci })).Revoked);
        await hanoi.RevokeAsync(new RevokeRequest { Uvci = issued.Uvci, Reason = "data-error" });
        var after = await hanoi.GetCertificateAsync(new GetCertificateRequest { Uvci = issued.Uvci });
        Assert.Equal((issued.Hc1, true), (after.Hc1, after.Revoked));
        // A resubmission of the revoked record gets the stored certificate flagged too, never as if it were valid.
        var replay = await hanoi.IssueAsync(Requests.From(Submissions.Valid(510)));
        Assert.Equal((issued.Hc1, true, true), (replay.Hc1, replay.AlreadyIssued, replay.Revoked));
    }

    [Fact]
    public async Task A_trusted_but_unregistered_certificate_is_denied_everywhere_including_health()
    {
        using var channel = Channel(_pki.Issue("facility-unknown", server: false).WithKey);
        var trust = await Assert.ThrowsAsync<RpcException>(() => new Issuer.IssuerClient(channel).GetTrustListAsync(new GetTrustListRequest()).ResponseAsync);
        var health = await Assert.ThrowsAsync<RpcException>(() => new HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "UNKNOWN_CALLER", null), ServerHost.Failure(trust));
        Assert.Equal((StatusCode.PermissionDenied, "UNKNOWN_CALLER", null), ServerHost.Failure(health));
        using var hanoi = Channel(_pki.Issue("facility-HN001", server: false).WithKey);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new HealthClient(hanoi).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task The_rate_limit_answers_RESOURCE_EXHAUSTED_per_caller_and_a_batch_costs_its_record_count()
    {
        using var hanoiChannel = Channel(_pki.Issue("facility-HN001", server: false).WithKey);
        var hanoi = new Issuer.IssuerClient(hanoiChannel);
        // The bucket holds 10 tokens and refills at 0.001/s: an 11-record batch never fits; 10 calls drain it.
        var batch = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = hanoi.IssueBatch(Requests.Batch(520, Burst + 1));
            await call.ResponseStream.MoveNext();
        });
        Assert.Equal((StatusCode.ResourceExhausted, "RATE_LIMITED", null), ServerHost.Failure(batch));
        for (var i = 0; i < Burst; i++)
            await hanoi.GetTrustListAsync(new GetTrustListRequest());
        var limited = await Assert.ThrowsAsync<RpcException>(() => hanoi.GetTrustListAsync(new GetTrustListRequest()).ResponseAsync);
        Assert.Equal((StatusCode.ResourceExhausted, "RATE_LIMITED", null), ServerHost.Failure(limited));
        // Another caller has its own bucket.
        using var saigon = Channel(_pki.Issue("facility-HCM01", server: false).WithKey);
        await new Issuer.IssuerClient(saigon).GetTrustListAsync(new GetTrustListRequest());
    }

    private GrpcChannel Channel(X509Certificate2 certificate) => ServerHost.Channel(_server, certificate, _pki.CaPem);
}
