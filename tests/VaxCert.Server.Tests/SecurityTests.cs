using System.Security.Cryptography.X509Certificates;
using VaxCert.Grpc;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>mTLS: callers identified by client certificate, limited to their facilities; strangers refused at the TLS layer.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private readonly string _dir = RepoPaths.NewTempDir("mtls");
    private TlsFiles _pki = null!;
    private IssuerServer _server = null!;

    public async Task InitializeAsync()
    {
        _pki = new TlsFiles(_dir, "operator");
        var (cert, key, _) = _pki.Issue("localhost", server: true);
        var settings = ServerHost.Settings();
        settings.Tls = new TlsSettings { Certificate = cert, Key = key, ClientCa = _pki.CaPem };
        settings.Callers = [new CallerSettings { Name = "hanoi", SubjectCn = "facility-HN001", Facilities = ["HN001"] }];
        settings.RateLimit = new RateLimitSettings { PerSecond = 0.001, Burst = 3 };
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
    public async Task A_trusted_but_unregistered_certificate_is_denied_and_the_rate_limit_answers_RESOURCE_EXHAUSTED()
    {
        var unknown = _pki.Issue("facility-unknown", server: false).WithKey;
        using (var client = Client(unknown))
        {
            var e = await Assert.ThrowsAsync<GrpcCallException>(() => new IssuerClient(client).GetTrustListAsync(new GetTrustListRequest()));
            Assert.Equal((StatusCode.PermissionDenied, "UNKNOWN_CALLER"), (e.StatusCode, e.Status.Reason));
        }
        using var hanoi = Client(_pki.Issue("facility-HN001", server: false).WithKey);
        var issuer = new IssuerClient(hanoi);
        // The bucket holds 3 tokens and refills at 0.001/s: the fourth call and a 5-record batch are refused.
        for (var i = 0; i < 3; i++)
            await issuer.GetTrustListAsync(new GetTrustListRequest());
        var limited = await Assert.ThrowsAsync<GrpcCallException>(() => issuer.GetTrustListAsync(new GetTrustListRequest()));
        Assert.Equal((StatusCode.ResourceExhausted, "RATE_LIMITED"), (limited.StatusCode, limited.Status.Reason));
    }

    private GrpcClient Client(X509Certificate2 certificate)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(_pki.CaPem);
        return new GrpcClient(_server.Address, new GrpcClientOptions { ClientCertificate = certificate, TrustedServerAuthorities = ca });
    }
}
