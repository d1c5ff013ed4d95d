using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;

namespace VaxCert.Testing;

/// <summary>Throwaway keys and certificates generated in memory for tests.</summary>
public static class TestPki
{
    public const string EkuVaccination = "1.3.6.1.4.1.1847.2021.1.2";
    public const string EkuTest = "1.3.6.1.4.1.1847.2021.1.1";
    public const string EkuRecovery = "1.3.6.1.4.1.1847.2021.1.3";

    /// <summary>A self-signed document signer with a private key, valid from 2020 to 2040 unless given.</summary>
    public static X509Certificate2 CreateSigner(CoseAlgorithm algorithm, string commonName = "VaxCert Test DSC",
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string[]? ekus = null)
    {
        var nb = notBefore ?? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var na = notAfter ?? new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var subject = new X500DistinguishedName($"CN={commonName}, C=VN");
        CertificateRequest request;
        AsymmetricAlgorithm key;
        if (algorithm == CoseAlgorithm.ES256)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
            key = ec;
        }
        else
        {
            var rsa = RSA.Create(2048);
            request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            key = rsa;
        }
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var usages = new OidCollection();
        foreach (var oid in ekus ?? [EkuVaccination]) usages.Add(new Oid(oid));
        if (usages.Count > 0)
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        var cert = request.CreateSelfSigned(nb, na);
        key.Dispose();
        return cert;
    }

    public static SoftwareCoseSigner CreateSoftwareSigner(CoseAlgorithm algorithm, DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null) => SoftwareCoseSigner.FromCertificate(CreateSigner(algorithm, notBefore: notBefore, notAfter: notAfter));

    /// <summary>The certificate without its private key, as a verifier's trust list holds it.</summary>
    public static X509Certificate2 PublicOnly(X509Certificate2 cert) => X509CertificateLoader.LoadCertificate(cert.RawData);
}
