using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Signing;
using VaxCert.Testing;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Tests;

/// <summary>Trust-list sources, kid collisions, broken entries and the EKU rule.</summary>
public sealed class TrustListTests
{
    private static string Pem(X509Certificate2 c) => c.ExportCertificatePem();

    private static CertificateVerifier Over(TrustList list) => new(list, new VerifierOptions { Time = Clock.Fixed });

    [Fact]
    public void Folder_of_pem_and_der_files_loads_and_verifies()
    {
        var dir = RepoPaths.NewTempDir("trust-folder");
        File.WriteAllText(Path.Combine(dir, "es.pem"), Pem(TestSigners.PublicOf(TestSigners.Es256)));
        File.WriteAllBytes(Path.Combine(dir, "ps.der"), TestSigners.Ps256.Certificate.RawData);
        File.WriteAllText(Path.Combine(dir, "broken.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a certificate, ignored");
        var list = TrustListLoader.Load(dir);
        Assert.Equal(2, list.Signers.Count);
        Assert.Single(list.Problems); // broken.crt, named, and it blocks nothing
        Assert.Contains("broken.crt", list.Problems[0]);
        Assert.True(Over(list).Verify(new Hc1Builder { Signer = TestSigners.Es256 }.Build()).IsValid);
        Assert.True(Over(list).Verify(new Hc1Builder { Signer = TestSigners.Ps256 }.Build()).IsValid);
    }

    [Fact]
    public void Pem_bundle_loads_every_certificate()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("trust-pem"), "bundle.pem");
        File.WriteAllText(path, Pem(TestSigners.PublicOf(TestSigners.TestOnly)) + "\n" + Pem(TestSigners.PublicOf(TestSigners.Ps256)));
        var list = TrustListLoader.Load(path, Clock.Now);
        Assert.Equal(2, list.Signers.Count);
        Assert.Equal(Clock.Now, list.IssuedAt);
        Assert.True(Over(list).Verify(new Hc1Builder { Signer = TestSigners.Ps256 }.Build()).IsValid);
    }

    private static JsonObject GatewayEntry(byte[] der, byte[] kid, string country = "VN", string type = "DSC") => new()
    {
        ["kid"] = Convert.ToBase64String(kid),
        ["country"] = country,
        ["certificateType"] = type,
        ["rawData"] = Convert.ToBase64String(der),
        ["thumbprint"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(der)),
        ["signature"] = "",
        ["timestamp"] = "2026-02-28T10:00:00Z",
    };

    [Fact]
    public void Gateway_json_with_a_kid_collision_and_a_broken_entry_still_verifies_the_real_signer()
    {
        var real = TestSigners.Es256.Certificate.RawData;
        var kid = TestSigners.Es256.KeyId.ToArray();
        var impostor = TestSigners.Untrusted.Certificate.RawData;
        // The impostor and a garbage entry claim the real signer's kid and come first; a CSCA entry is not a signer.
        var json = new JsonArray(GatewayEntry(impostor, kid), GatewayEntry([1, 2, 3], kid), GatewayEntry(real, kid),
            GatewayEntry(TestSigners.Ps256.Certificate.RawData, TestSigners.Ps256.KeyId.ToArray(), type: "CSCA")).ToJsonString();
        var list = TrustListLoader.FromGatewayJson(json, Clock.Now);
        Assert.Equal(2, list.Find(kid).Count);
        Assert.Contains(list.Problems, p => p.Contains("entry #1"));
        Assert.Contains(list.Problems, p => p.Contains("CSCA"));
        var result = Over(list).Verify(new Hc1Builder { Signer = TestSigners.Es256 }.Build());
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Convert.ToHexStringLower(kid), result.Signer!.KeyId);
        Assert.Equal("VN", result.Signer.Country);
        // A key outside the list that names the same kid is refused: the kid selects candidates, the signature decides.
        Assert.Equal(ReasonCode.SignatureInvalid, Over(list).Verify(Hc1Builder.Wrap(SignedUnderKid(kid, TestSigners.TestOnly))).Reason);
    }

    // A COSE signed by `signer` but naming `kid` in the protected header.
    private static byte[] SignedUnderKid(byte[] kid, SoftwareCoseSigner signer)
    {
        var header = VaxCert.Core.Encoding.CoseSign1.EncodeProtectedHeader(signer.Algorithm, kid);
        var payload = new Hc1Builder { Signer = signer }.BuildCwtForTests();
        return VaxCert.Core.Encoding.CoseSign1.Encode(header, payload, signer.Sign(VaxCert.Core.Encoding.CoseSign1.BuildToBeSigned(header, payload)));
    }

    [Fact]
    public void Malformed_sources_throw_a_typed_exception()
    {
        Assert.Throws<TrustListException>(() => TrustListLoader.Load("/nonexistent/trust"));
        Assert.Throws<TrustListException>(() => TrustListLoader.FromGatewayJson("{not json", Clock.Now));
        Assert.Throws<TrustListException>(() => TrustListLoader.FromGatewayJson("{}", Clock.Now));
    }

    [Theory]
    [InlineData(new string[0], DccTypes.All)]
    [InlineData(new[] { "1.3.6.1.4.1.1847.2021.1.2" }, DccTypes.Vaccination)]
    [InlineData(new[] { "1.3.6.1.4.1.0.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.3" }, DccTypes.Test | DccTypes.Recovery)]
    [InlineData(new[] { "2.23.136.1.1.14.2" }, DccTypes.None)]
    [InlineData(new[] { "1.3.6.1.4.1.1847.2021.1.9" }, DccTypes.None)]
    public void Eku_rule_follows_the_shared_readme(string[] oids, DccTypes expected)
        => Assert.Equal(expected, KeyUsageReader.FromOids(oids));

    [Fact]
    public void Empty_eku_sequence_parses_as_all_types_and_garbage_as_unparsable()
    {
        Assert.True(KeyUsageReader.TryParse([0x30, 0x00], out var all));
        Assert.Equal(DccTypes.All, all);
        Assert.False(KeyUsageReader.TryParse([0x30, 0x05, 0x06], out var none));
        Assert.Equal(DccTypes.None, none);
    }

    [Fact]
    public void Csca_anchored_signer_verifies_and_the_chain_is_checked_at_iat()
    {
        using var cscaKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var cscaRequest = new CertificateRequest("CN=VN CSCA, C=VN", cscaKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        cscaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        cscaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var csca = cscaRequest.CreateSelfSigned(Clock.Now.AddYears(-5), Clock.Now.AddYears(10));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=VN DSC chained, C=VN", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var dscPublic = request.Create(csca, Clock.Now.AddYears(-1), Clock.Now.AddYears(1), [1, 2, 3, 4]);
        using var dsc = dscPublic.CopyWithPrivateKey(key);
        var signer = SoftwareCoseSigner.FromCertificate(dsc);
        var anchors = new[] { TestPki.PublicOnly(csca) };
        var list = TrustList.Create([TestPki.PublicOnly(dsc)], Clock.Now, anchors);
        Assert.Empty(list.Problems);
        Assert.True(Over(list).Verify(new Hc1Builder { Signer = signer }.Build()).IsValid);
        // iat before the DSC (and so the chain) existed: refused even though now is inside the window.
        var early = Over(list).Verify(new Hc1Builder { Signer = signer, IssuedAt = Clock.Now.AddYears(-2) }.Build());
        Assert.Equal(ReasonCode.SignerNotValidAtIssuance, early.Reason);
        // A DSC of another country does not chain to the VN CSCA.
        var foreign = TrustList.Create([new TrustListCandidate(dscPublic.RawData, "FR", "fr")], Clock.Now, anchors);
        Assert.Equal(ReasonCode.SignerChainInvalid, Over(foreign).Verify(new Hc1Builder { Signer = signer }.Build()).Reason);
    }
}
