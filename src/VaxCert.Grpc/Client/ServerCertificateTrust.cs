using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Grpc.Client;

/// <summary>Validates the server's TLS certificate against configured CAs instead of the machine's trust store.</summary>
internal sealed class ServerCertificateTrust(X509Certificate2Collection authorities)
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        // The name check and "no certificate" come from SslStream; only the chain is re-judged against our CAs.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            return false;
        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        return chain.Build(leaf);
    }
}
