using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Issuing.Pki;

/// <summary>
/// Builds the X.509 profiles of VaxCert's PKI (root CA, document signer, facility certificate) with .NET's
/// CertificateRequest. Separate from the generator so tests can mint certificates (expired, foreign CA) with the same profiles.
/// </summary>
public static class CertificateFactory
{
    /// <summary>EU DCC extended key usage for vaccination certificates.</summary>
    public const string EkuVaccination = "1.3.6.1.4.1.1847.2021.1.2";

    /// <summary>VaxCert's extended key usage for signing offline trust bundles (see TrustBundleFormat).</summary>
    public const string EkuTrustBundleSigning = Core.Bundle.TrustBundleFormat.BundleSigningEku;

    /// <summary>A self-signed CA (EC P-384, SHA-384) that may only issue end-entity certificates (path length 0).</summary>
    public static X509Certificate2 CreateRootCa(X500DistinguishedName subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Creates a fresh key (EC P-256 or RSA-2048) and an end-entity signing certificate for it, issued by <paramref name="issuer"/>.</summary>
    /// <param name="issuer">CA certificate with its private key.</param>
    /// <param name="subject">Subject name.</param>
    /// <param name="rsa">RSA-2048 instead of EC P-256.</param>
    /// <param name="ekus">Extended key usages, none when empty.</param>
    public static X509Certificate2 CreateSigner(X509Certificate2 issuer, X500DistinguishedName subject, bool rsa,
        DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] ekus)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = IssueForPublicKey(issuer, subject, key, notBefore, notAfter, ekus);
        return key switch
        {
            ECDsa ec => issued.CopyWithPrivateKey(ec),
            RSA r => issued.CopyWithPrivateKey(r),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>
    /// Issues the signer profile for a key whose private half lives elsewhere (a PKCS#11 token): only the public key of
    /// <paramref name="publicKey"/> is used, and the certificate comes back without a private key.
    /// </summary>
    public static X509Certificate2 IssueForPublicKey(X509Certificate2 issuer, X500DistinguishedName subject, AsymmetricAlgorithm publicKey,
        DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] ekus)
    {
        var request = IssueRequest(publicKey, subject, issuer, ekus);
        using var issuerKey = issuer.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The issuing CA needs its EC private key.", nameof(issuer));
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        using var issued = request.Create(issuer.SubjectName, generator, notBefore, notAfter, NewSerial());
        return X509CertificateLoader.LoadCertificate(issued.RawData);
    }

    private static CertificateRequest IssueRequest(AsymmetricAlgorithm key, X500DistinguishedName subject, X509Certificate2 issuer,
        string[] ekus)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA384),
            RSA r => new CertificateRequest(subject, r, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("EC or RSA only.", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (ekus.Length > 0)
        {
            var usages = new OidCollection();
            foreach (var eku in ekus) usages.Add(new Oid(eku));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }
        return request;
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive INTEGER
        serial[0] |= 0x01; // no leading zero byte, so the DER length is stable
        return serial;
    }

    /// <summary>PEM of the certificate and its PKCS#8 private key.</summary>
    public static (string CertificatePem, string KeyPem) ToPem(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        using (key)
            return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
