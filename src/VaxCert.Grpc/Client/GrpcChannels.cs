using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace VaxCert.Grpc.Client;

/// <summary>How a client reaches a VaxCert server: its client certificate (mTLS) and the CAs it trusts for the server.</summary>
public sealed record GrpcChannelSecurity
{
    /// <summary>Certificate with private key presented to the server (mTLS); null for none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>CAs the server certificate must chain to (and name match); null: the machine's trust store decides.</summary>
    public X509Certificate2Collection? TrustedServerAuthorities { get; init; }

    /// <summary>Largest response message accepted (Grpc.Net.Client's default is 4 MiB).</summary>
    public int MaxReceiveMessageSize { get; init; } = 16 * 1024 * 1024;
}

/// <summary>Grpc.Net.Client channels for VaxCert servers: h2c for http:// addresses, TLS (optionally mTLS) for https://.</summary>
public static class GrpcChannels
{
    /// <summary>A long-lived channel to <paramref name="address"/> (one per target; calls multiplex over it).</summary>
    public static GrpcChannel Create(Uri address, GrpcChannelSecurity? security = null)
    {
        security ??= new GrpcChannelSecurity();
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        if (security.ClientCertificate is { } certificate)
            handler.SslOptions.ClientCertificates = [certificate];
        if (security.TrustedServerAuthorities is { } authorities)
        {
            var trust = new ServerCertificateTrust(authorities);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => trust.Validate(cert, errors);
        }
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = security.MaxReceiveMessageSize,
        });
    }
}
