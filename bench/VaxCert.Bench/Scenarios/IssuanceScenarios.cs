using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Issuing.Qr;

namespace VaxCert.Bench.Scenarios;

/// <summary>Issuance throughput: record → HC1 string, beside a bare signature with the same key on a same-size payload.</summary>
public static class IssuanceScenarios
{
    public static IEnumerable<Scenario> All =>
    [
        new("issue-es256", "validate + encode + sign one record to an HC1 string (ES256) vs ECDsa.SignData", c => Issue(c, CoseAlgorithm.ES256)),
        new("issue-ps256", "validate + encode + sign one record to an HC1 string (PS256) vs RSA.SignData PSS", c => Issue(c, CoseAlgorithm.PS256)),
        new("qr-png", "render an HC1 string as a QR PNG (level Q) vs issuing it (ES256)", QrPng),
    ];

    private static BenchResult Issue(BenchContext context, CoseAlgorithm algorithm)
    {
        using var signer = SoftwareCoseSigner.FromCertificate(CreateCertificate(algorithm));
        var issuer = Hc1Issuer.Create(signer);
        var record = SampleRecord();
        var first = issuer.Issue(record);
        if (!first.Succeeded) throw new InvalidOperationException(first.Message);
        // Baseline: the bare signature on a payload the size of the Sig_structure the issuer signs.
        var payload = new byte[first.Certificate!.CwtPayload.Length + 30];
        RandomNumberGenerator.Fill(payload);
        Action baseline = algorithm == CoseAlgorithm.ES256
            ? SignEcdsa(signer.Certificate, payload)
            : SignRsa(signer.Certificate, payload);
        var (subject, bare) = Measure.Paired(() => issuer.Issue(record), baseline, context.Duration);
        return new BenchResult($"issue-{algorithm.ToString().ToLowerInvariant()}", subject,
            algorithm == CoseAlgorithm.ES256 ? "ECDsa.SignData P-256 (same key, same-size payload)" : "RSA.SignData PSS 2048 (same key, same-size payload)",
            bare, new Dictionary<string, object> { ["hc1_chars"] = first.Certificate.Hc1.Length });
    }

    private static BenchResult QrPng(BenchContext context)
    {
        using var signer = SoftwareCoseSigner.FromCertificate(CreateCertificate(CoseAlgorithm.ES256));
        var issuer = Hc1Issuer.Create(signer);
        var hc1 = issuer.Issue(SampleRecord()).Certificate!.Hc1;
        var image = QrRenderer.RenderPng(hc1);
        var (subject, baseline) = Measure.Paired(() => QrRenderer.RenderPng(hc1), () => issuer.Issue(SampleRecord()), context.Duration);
        return new BenchResult("qr-png", subject, "issue-es256 (same process)", baseline,
            new Dictionary<string, object> { ["qr_version"] = image.Version, ["png_bytes"] = image.Content.Length });
    }

    private static Action SignEcdsa(X509Certificate2 cert, byte[] payload)
    {
        var key = cert.GetECDsaPrivateKey()!;
        return () => key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static Action SignRsa(X509Certificate2 cert, byte[] payload)
    {
        var key = cert.GetRSAPrivateKey()!;
        return () => key.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    public static VaccinationRecord SampleRecord() => new()
    {
        FamilyName = "Nguyễn",
        GivenName = "Thị Minh Khai",
        DateOfBirth = "1985-04-12",
        Nationality = "VN",
        TotalDoses = 2,
        DoseNumber = 2,
        DateOfVaccination = new DateOnly(2021, 9, 14),
        VaccineType = "1119349007",
        VaccineProduct = "EU/1/20/1528",
        Manufacturer = "ORG-100030215",
        CertificateId = new DeterministicUvci("VN").For("79001", "2021-000123"),
    };

    public static X509Certificate2 CreateCertificate(CoseAlgorithm algorithm)
    {
        var subject = new X500DistinguishedName("CN=VaxCert bench DSC, C=VN");
        CertificateRequest request = algorithm == CoseAlgorithm.ES256
            ? new CertificateRequest(subject, ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256)
            : new CertificateRequest(subject, RSA.Create(2048), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
    }
}
