using Grpc.Core;
using Grpc.Net.Client;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Hosting;
using VaxCert.Grpc.Tests.Proto;
using VaxCert.Grpc.Tests.Support;

namespace VaxCert.Grpc.Tests;

/// <summary>TLS (HTTP/2 via ALPN) and mTLS with a CA generated in the test, Grpc.Net.Client through GrpcChannels.</summary>
public class TlsTests
{
    private static readonly TestPki Pki = new();

    private static async Task<WhoAmIReply> CallWhoAmI(GrpcChannel channel) =>
        await new TestService.TestServiceClient(channel).WhoAmIAsync(new EchoRequest());

    [Fact]
    public async Task Tls_call_succeeds_when_the_client_trusts_the_server_ca()
    {
        await using var host = await LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions { ServerCertificate = Pki.Server });
        using var channel = GrpcChannels.Create(host.Address, new GrpcChannelSecurity { TrustedServerAuthorities = Pki.AuthorityCollection });
        Assert.Equal("", (await CallWhoAmI(channel)).ClientSubject);
    }

    [Fact]
    public async Task Tls_client_refuses_a_server_from_another_ca()
    {
        await using var host = await LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions { ServerCertificate = Pki.Server });
        using var channel = GrpcChannels.Create(host.Address,
            new GrpcChannelSecurity { TrustedServerAuthorities = new TestPki("Other CA").AuthorityCollection });
        AssertHandshakeRefused(await Assert.ThrowsAsync<RpcException>(() => CallWhoAmI(channel)));
    }

    [Fact]
    public async Task Mtls_handler_sees_the_client_certificate()
    {
        await using var host = await StartMtlsAsync();
        using var channel = GrpcChannels.Create(host.Address, new GrpcChannelSecurity
        {
            TrustedServerAuthorities = Pki.AuthorityCollection,
            ClientCertificate = Pki.Client,
        });
        Assert.Equal(Pki.Client.Subject, (await CallWhoAmI(channel)).ClientSubject);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mtls_refuses_a_client_without_a_certificate_from_the_trusted_ca(bool presentRogueCertificate)
    {
        await using var host = await StartMtlsAsync();
        using var channel = GrpcChannels.Create(host.Address, new GrpcChannelSecurity
        {
            TrustedServerAuthorities = Pki.AuthorityCollection,
            ClientCertificate = presentRogueCertificate ? new TestPki("Rogue CA").Client : null,
        });
        AssertHandshakeRefused(await Assert.ThrowsAsync<RpcException>(() => CallWhoAmI(channel)));
    }

    // The call never reached a handler. Grpc.Net.Client reports a handshake the server closed as UNAVAILABLE and one that
    // failed certificate validation (either side) as INTERNAL "The SSL connection could not be established".
    private static void AssertHandshakeRefused(RpcException error)
    {
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("Error starting gRPC call", error.Status.Detail);
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
