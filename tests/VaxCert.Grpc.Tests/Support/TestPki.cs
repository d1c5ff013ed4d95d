using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>A throw-away PKI made in the test: a CA, a server certificate for localhost, client certificates.</summary>
public sealed class TestPki
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public TestPki(string name = "VaxCert Test CA")
    {
        Authority = CreateAuthority(name);
        Server = Issue(Authority, "CN=localhost", ServerAuth, withLocalhostNames: true);
        Client = Issue(Authority, "CN=facility-79-HCM-0123, O=VaxCert Test", ClientAuth, withLocalhostNames: false);
    }

    public X509Certificate2 Authority { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }

    public X509Certificate2Collection AuthorityCollection => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    /// <summary>A client certificate from this CA (used with a second, untrusted PKI to prove chain checking).</summary>
    public X509Certificate2 IssueClient(string subject) => Issue(Authority, subject, ClientAuth, withLocalhostNames: false);

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Reload(cert);
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, string eku, bool withLocalhostNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        if (withLocalhostNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Round-trip through PKCS#12 so SslStream gets a certificate whose key is not tied to a disposed ECDsa object.
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);

    /// <summary>PEM files for the python client: CA, client certificate and its PKCS#8 key.</summary>
    public (string Ca, string Cert, string Key) WritePem(string dir, X509Certificate2 client)
    {
        var ca = Path.Combine(dir, "ca.pem");
        var cert = Path.Combine(dir, "client.pem");
        var key = Path.Combine(dir, "client.key");
        File.WriteAllText(ca, Authority.ExportCertificatePem());
        File.WriteAllText(cert, client.ExportCertificatePem());
        File.WriteAllText(key, client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (ca, cert, key);
    }
}
