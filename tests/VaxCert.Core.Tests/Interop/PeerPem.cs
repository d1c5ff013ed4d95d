using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Core.Tests.Interop;

/// <summary>The PEM forms the node peer takes, exported from a test certificate (TestPki keys are exportable).</summary>
internal static class PeerPem
{
    public static string Certificate(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The DSC of an EU vector (TESTCTX.CERTIFICATE, base64 DER without armour).</summary>
    public static string Certificate(string base64Der) =>
        "-----BEGIN CERTIFICATE-----\n" + base64Der + "\n-----END CERTIFICATE-----\n";

    /// <summary>PKCS#8 ("BEGIN PRIVATE KEY"), the only private key form the SDK imports.</summary>
    public static string PrivateKeyPkcs8(X509Certificate2 certificate)
    {
        using var ec = certificate.GetECDsaPrivateKey();
        if (ec is not null) return ec.ExportPkcs8PrivateKeyPem();
        using var rsa = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("certificate has no private key", nameof(certificate));
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    public static string PublicKey(X509Certificate2 certificate) =>
        new(PemEncoding.Write("PUBLIC KEY", certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
