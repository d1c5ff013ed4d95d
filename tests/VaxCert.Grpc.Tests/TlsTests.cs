using VaxCert.Grpc.Client;
using VaxCert.Grpc.Server;
using VaxCert.Grpc.Tests.Proto;
using VaxCert.Grpc.Tests.Support;

namespace VaxCert.Grpc.Tests;

/// <summary>TLS (HTTP/2 via ALPN) and mTLS with a CA generated in the test.</summary>
public class TlsTests
{
    private const string WhoAmI = TestServiceEndpoints.Prefix + "WhoAmI";
    private static readonly TestPki Pki = new();

    private static Task<WhoAmIReply> CallWhoAmI(GrpcClient client) =>
        client.UnaryAsync<EchoRequest, WhoAmIReply>(WhoAmI, new EchoRequest());

    [Fact]
    public async Task Tls_call_succeeds_when_the_client_trusts_the_server_ca()
    {
        await using var host = await LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions { ServerCertificate = Pki.Server });
        using var client = new GrpcClient(host.Address, new GrpcClientOptions { TrustedServerAuthorities = Pki.AuthorityCollection });
        var reply = await CallWhoAmI(client);
        Assert.Equal("", reply.ClientSubject);
    }

    [Fact]
    public async Task Tls_client_refuses_a_server_from_another_ca()
    {
        await using var host = await LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions { ServerCertificate = Pki.Server });
        using var client = new GrpcClient(host.Address, new GrpcClientOptions { TrustedServerAuthorities = new TestPki("Other CA").AuthorityCollection });
        var error = await Assert.ThrowsAsync<GrpcCallException>(() => CallWhoAmI(client));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Mtls_handler_sees_the_client_certificate()
    {
        await using var host = await StartMtlsAsync();
        using var client = new GrpcClient(host.Address, new GrpcClientOptions
        {
            TrustedServerAuthorities = Pki.AuthorityCollection,
            ClientCertificate = Pki.Client,
        });
        var reply = await CallWhoAmI(client);
        Assert.Equal(Pki.Client.Subject, reply.ClientSubject);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mtls_refuses_a_client_without_a_certificate_from_the_trusted_ca(bool presentRogueCertificate)
    {
        await using var host = await StartMtlsAsync();
        using var client = new GrpcClient(host.Address, new GrpcClientOptions
        {
            TrustedServerAuthorities = Pki.AuthorityCollection,
            ClientCertificate = presentRogueCertificate ? new TestPki("Rogue CA").Client : null,
        });
        var error = await Assert.ThrowsAsync<GrpcCallException>(() => CallWhoAmI(client));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public void Client_trust_requires_the_chain_to_end_at_a_configured_ca()
    {
        var trust = new ClientCertificateTrust(Pki.AuthorityCollection);
        Assert.True(trust.IsTrusted(Pki.Client));
        Assert.False(trust.IsTrusted(new TestPki("Rogue CA").Client));
        Assert.False(trust.IsTrusted(Pki.Server)); // serverAuth-only EKU is not a client certificate
    }

    private static Task<LoopbackGrpcHost> StartMtlsAsync() => LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions
    {
        ServerCertificate = Pki.Server,
        ClientCertificateAuthorities = Pki.AuthorityCollection,
    });
}
