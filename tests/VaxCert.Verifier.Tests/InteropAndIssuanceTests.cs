using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Validation;
using VaxCert.Testing;

namespace VaxCert.Verifier.Tests;

/// <summary>VaxCert-issued and independently issued (node @pathcheck/dcc-sdk) certificates verify; tampered ones do not.</summary>
public sealed class InteropAndIssuanceTests
{
    private static readonly VaccinationRecord Record = new()
    {
        FamilyName = "Nguyễn", GivenName = "Thị Minh Khai", DateOfBirth = "1985-04-12", Nationality = "VN",
        TotalDoses = 2, DoseNumber = 2, DateOfVaccination = new DateOnly(2021, 9, 14),
        VaccineType = "1119349007", VaccineProduct = "EU/1/20/1528", Manufacturer = "ORG-100030215",
        CertificateId = VaxCert.Core.Uvci.UvciFormat.Generate("VN", "HN", "ABC123"),
    };

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public void VaxCert_issued_certificates_verify_with_their_eleven_fields(CoseAlgorithm algorithm)
    {
        var signer = algorithm == CoseAlgorithm.ES256 ? TestSigners.Es256 : TestSigners.Ps256;
        var issuedAt = new FixedTime(Clock.Now.AddDays(-3));
        var issuer = new Hc1Issuer(signer, IssuerSettings.Default, RecordValidator.CreateDefault().Validate, issuedAt);
        var issued = issuer.Issue(Record);
        Assert.True(issued.Succeeded, issued.Message);
        var result = TestSigners.Verifier().Verify(issued.Certificate!.Hc1);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Record, result.Certificate!.Record);
        Assert.Equal(DccTypes.Vaccination, result.Certificate.Type);
        Assert.Equal("VN", result.Certificate.Issuer);
        Assert.Equal(issued.Certificate.IssuedAt, result.Certificate.IssuedAt);
        Assert.Equal(issued.Certificate.ExpiresAt, result.Certificate.ExpiresAt);
        Assert.Equal(Convert.ToHexStringLower(signer.KeyId.Span), result.Signer!.KeyId);
        Assert.Contains("VN DSC", result.Signer.Subject);
        Assert.Equal("VN", result.Signer.Country);
        Assert.Equal("1.3.3", JsonNode.Parse(result.Certificate.DccJson)!["ver"]!.GetValue<string>());
    }

    private static (string KeyPem, string CertPem) Pems(SoftwareCoseSigner signer)
    {
        var cert = signer.Certificate;
        var key = (System.Security.Cryptography.AsymmetricAlgorithm?)cert.GetECDsaPrivateKey() ?? cert.GetRSAPrivateKey()!;
        return (key.ExportPkcs8PrivateKeyPem(), cert.ExportCertificatePem());
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public void Peer_issued_certificates_verify_and_tampered_ones_do_not(CoseAlgorithm algorithm)
    {
        var signer = algorithm == CoseAlgorithm.ES256 ? TestSigners.Es256 : TestSigners.Ps256;
        var (keyPem, certPem) = Pems(signer);
        var hc1 = DccPeer.Sign(SampleDcc.Vaccination(), keyPem, certPem, "VN",
            Clock.Now.AddDays(-1).ToUnixTimeSeconds(), Clock.Now.AddDays(200).ToUnixTimeSeconds());
        var verifier = TestSigners.Verifier();
        var result = verifier.Verify(hc1);
        Assert.True(result.IsValid, result.ToString());
        Assert.True(DccComparisonOf(result, SampleDcc.Vaccination()));

        // Tamper with the signed payload (a name letter), re-compress, re-encode: the signature must fail.
        var cose = Hc1.DecodeCose(hc1);
        var at = IndexOf(cose, "NGUYEN"u8);
        Assert.True(at > 0);
        cose[at] = (byte)'M';
        var tampered = verifier.Verify(Hc1Builder.Wrap(cose));
        Assert.Equal(ReasonCode.SignatureInvalid, tampered.Reason);
        Assert.Equal(VerificationOutcome.Invalid, tampered.Outcome);
    }

    private static bool DccComparisonOf(VerificationResult r, JsonObject expected)
        => VaxCert.Core.Decoding.DccComparison.SemanticallyEqual(r.Certificate!.GetDcc(), expected);

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    [Fact]
    public void Clock_skew_is_applied_on_both_ends()
    {
        var skew = TimeSpan.FromMinutes(5);
        var verifier = TestSigners.Verifier(new VerifierOptions { ClockSkew = skew });
        Hc1Builder B(DateTimeOffset iat, DateTimeOffset exp) => new() { Signer = TestSigners.Es256, IssuedAt = iat, ExpiresAt = exp };
        Assert.True(verifier.Verify(B(Clock.Now + skew, Clock.Now.AddDays(1)).Build()).IsValid);
        Assert.Equal(ReasonCode.CwtNotYetValid, verifier.Verify(B(Clock.Now + skew + TimeSpan.FromSeconds(1), Clock.Now.AddDays(1)).Build()).Reason);
        Assert.True(verifier.Verify(B(Clock.Now.AddDays(-1), Clock.Now - skew).Build()).IsValid);
        Assert.Equal(ReasonCode.CwtExpired, verifier.Verify(B(Clock.Now.AddDays(-1), Clock.Now - skew - TimeSpan.FromSeconds(1)).Build()).Reason);
    }

    [Fact]
    public void Parallel_verifications_share_the_cached_keys_safely()
    {
        var verifier = TestSigners.Verifier();
        var good = new Hc1Builder { Signer = TestSigners.Es256 }.Build();
        var rsa = new Hc1Builder { Signer = TestSigners.Ps256 }.Build();
        var bad = new Hc1Builder { Signer = TestSigners.Es256, TamperSignature = s => { s[0] ^= 1; return s; } }.Build();
        var answers = Enumerable.Range(0, 600).AsParallel().WithDegreeOfParallelism(4)
            .Select(i => (i % 3, verifier.Verify(i % 3 == 0 ? good : i % 3 == 1 ? rsa : bad).Reason)).ToList();
        Assert.All(answers, a => Assert.Equal(a.Item1 == 2 ? ReasonCode.SignatureInvalid : ReasonCode.None, a.Reason));
    }
}

/// <summary>Independent unwrapping of an HC1 string down to its COSE bytes (Core's stages, no verifier).</summary>
internal static class Hc1
{
    public static byte[] DecodeCose(string hc1)
    {
        Assert.True(ContextPrefix.TryStrip(hc1, out var body, out _));
        Assert.True(Base45.TryDecode(body, out var compressed, out _));
        Assert.True(Zlib.TryDecompress(compressed, out var cose, out _));
        return cose;
    }
}
