using System.Security.Cryptography.X509Certificates;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Client;

/// <summary>Settings of a <see cref="GrpcClient"/>.</summary>
public sealed record GrpcClientOptions
{
    /// <summary>Certificate (with private key) presented to servers that require mTLS; null for none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// When set, the server certificate must chain to one of these CAs and match the host name (private PKI). When null,
    /// the machine's trust store decides.
    /// </summary>
    public X509Certificate2Collection? TrustedServerAuthorities { get; init; }

    /// <summary>Largest response message accepted; a larger one fails the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;
}
