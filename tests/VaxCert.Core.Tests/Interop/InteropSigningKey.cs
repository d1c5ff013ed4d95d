using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Tests.Interop;

/// <summary>
/// A fresh self-signed signing key for one test, in the PEM forms the node peer takes and as an X.509 certificate with
/// its private key for VaxCert's own signer. Generated per test so no key material is checked in.
/// </summary>
internal sealed class InteropSigningKey : IDisposable
{
    private InteropSigningKey(X509Certificate2 certificate, string privateKeyPkcs8Pem, string publicKeyPem)
    {
        Certificate = certificate;
        PrivateKeyPkcs8Pem = privateKeyPkcs8Pem;
        PublicKeyPem = publicKeyPem;
        CertificatePem = certificate.ExportCertificatePem();
    }

    public X509Certificate2 Certificate { get; }
    public string CertificatePem { get; }
    public string PrivateKeyPkcs8Pem { get; }
    public string PublicKeyPem { get; }

    /// <summary>EC P-256 (ES256) or RSA-2048 (PS256), valid from yesterday for a year.</summary>
    public static InteropSigningKey Create(CoseAlgorithm algorithm)
    {
        var subject = $"CN=VaxCert interop {algorithm} {Guid.NewGuid():N}, C=VN";
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var to = from.AddYears(1);
        if (algorithm == CoseAlgorithm.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
            return new InteropSigningKey(request.CreateSelfSigned(from, to), ec.ExportPkcs8PrivateKeyPem(),
                ec.ExportSubjectPublicKeyInfoPem());
        }
        using var rsa = RSA.Create(2048);
        var rsaRequest = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return new InteropSigningKey(rsaRequest.CreateSelfSigned(from, to), rsa.ExportPkcs8PrivateKeyPem(),
            rsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>VaxCert's software signer over this key.</summary>
    public SoftwareCoseSigner CreateSigner() =>
        SoftwareCoseSigner.FromCertificate(X509CertificateLoader.LoadPkcs12(Certificate.Export(X509ContentType.Pkcs12), null));

    public void Dispose() => Certificate.Dispose();
}
