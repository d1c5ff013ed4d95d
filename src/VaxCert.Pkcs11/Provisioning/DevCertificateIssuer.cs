using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>
/// Issues development certificates for token public keys from a software CA. When no CA is given it makes a throwaway
/// self-signed CA that is discarded right after (the result says so), because a token key cannot self-sign through
/// .NET's CertificateRequest without a custom signature generator.
/// </summary>
public static class DevCertificateIssuer
{
    /// <summary>Issues a one-year end-entity signing certificate for <paramref name="publicKey"/>.</summary>
    /// <param name="publicKey">The token key's public half (ECDsa or RSA).</param>
    /// <param name="subject">Distinguished name, e.g. "CN=Facility 01, O=VaxCert dev, C=VN".</param>
    /// <param name="issuer">CA certificate with its private key, or null for a throwaway CA.</param>
    public static X509Certificate2 Issue(AsymmetricAlgorithm publicKey, string subject, X509Certificate2? issuer)
    {
        var request = publicKey switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("Only EC and RSA keys are supported.", nameof(publicKey)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // positive INTEGER
        if (issuer is not null)
        {
            var notAfter = DateTimeOffset.UtcNow.AddYears(1) < issuer.NotAfter ? DateTimeOffset.UtcNow.AddYears(1) : new DateTimeOffset(issuer.NotAfter);
            return SignWith(request, issuer, notBefore, notAfter, serial);
        }
        using var throwawayKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=VaxCert throwaway dev CA", throwawayKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(notBefore.AddMinutes(-1), notBefore.AddYears(2));
        return SignWith(request, ca, notBefore, notBefore.AddYears(1), serial);
    }

    // The generator overload lets an EC CA sign an RSA subject key and vice versa.
    private static X509Certificate2 SignWith(CertificateRequest request, X509Certificate2 issuer,
        DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial)
    {
        using var ecKey = issuer.GetECDsaPrivateKey();
        using var rsaKey = ecKey is null ? issuer.GetRSAPrivateKey() : null;
        var generator = ecKey is not null ? X509SignatureGenerator.CreateForECDsa(ecKey)
            : rsaKey is not null ? X509SignatureGenerator.CreateForRSA(rsaKey, RSASignaturePadding.Pkcs1)
            : throw new ArgumentException("The issuer certificate has no EC or RSA private key.", nameof(issuer));
        using var issued = request.Create(issuer.SubjectName, generator, notBefore, notAfter, serial);
        return X509CertificateLoader.LoadCertificate(issued.RawData);
    }
}
