using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace VaxCert.Grpc.Hosting;

/// <summary>TLS settings of a gRPC listener.</summary>
public sealed record GrpcTlsOptions
{
    /// <summary>The server's certificate with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>
    /// When set, clients must present a certificate that chains to one of these CAs (mTLS); the handshake fails
    /// otherwise. When null, client certificates are neither asked for nor accepted.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }
}

/// <summary>
/// Kestrel listeners for gRPC: cleartext HTTP/2 (h2c, prior knowledge) for development and tests, TLS with ALPN h2 and
/// optional mandatory client certificates for everything else. gRPC itself is grpc-dotnet's; this is transport only.
/// </summary>
public static class GrpcListener
{
    /// <summary>
    /// Listens with cleartext HTTP/2 on <paramref name="endpoint"/>. HTTP/2-only on purpose: Kestrel speaks h2c with prior
    /// knowledge only when HTTP/1.1 is off. Port 0 picks a free port (read it from IServerAddressesFeature).
    /// </summary>
    public static void ListenCleartext(this KestrelServerOptions kestrel, IPEndPoint endpoint)
    {
        ApplyLimits(kestrel);
        kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2);
    }

    /// <summary>Listens with TLS (HTTP/2 via ALPN) on <paramref name="endpoint"/>, with mTLS when client CAs are given.</summary>
    public static void ListenTls(this KestrelServerOptions kestrel, IPEndPoint endpoint, GrpcTlsOptions tls)
    {
        ApplyLimits(kestrel);
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = tls.ServerCertificate;
                if (tls.ClientCertificateAuthorities is { } authorities)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    var trust = new ClientCertificateTrust(authorities);
                    https.ClientCertificateValidation = (certificate, _, _) => trust.IsTrusted(certificate);
                }
                else
                {
                    https.ClientCertificateMode = ClientCertificateMode.NoCertificate;
                }
            });
        });
    }

    /// <summary>
    /// Kestrel limits for gRPC. The message cap is grpc-dotnet's (<c>MaxReceiveMessageSize</c>), decided from the length
    /// prefix before anything is buffered; a unary call carrying more than one message is refused too. Kestrel's own body
    /// limit is switched off: it would fire first whenever a client sends the whole oversized body at once (python
    /// grpcio does), and a call refused there reaches the client as UNKNOWN instead of RESOURCE_EXHAUSTED.
    /// </summary>
    public static void ApplyLimits(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestBodySize = null;
        // Metadata is small; 32 KiB of headers is generous and bounds per-stream memory.
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
    }
}

/// <summary>Accepts client certificates that chain to configured CAs only (not to the machine's trust store).</summary>
public sealed class ClientCertificateTrust(X509Certificate2Collection authorities)
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>True when the chain ends at one of the CAs, every certificate is in its validity period, and the leaf
    /// (if it has an EKU extension) allows client authentication.</summary>
    public bool IsTrusted(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Facility and operator CAs are private and publish no CRL/OCSP endpoint; revocation is the trust list's job.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthenticationOid));
        return chain.Build(certificate);
    }
}
