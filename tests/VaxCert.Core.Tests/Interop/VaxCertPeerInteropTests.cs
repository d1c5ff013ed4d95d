using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Decoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Qr;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Interop;

/// <summary>
/// VaxCert against independent implementations: the node peer (@pathcheck/dcc-sdk) verifies what VaxCert issues,
/// VaxCert decodes and verifies what the peer issues, and zbarimg reads VaxCert's QR PNG back to the exact HC1.
/// </summary>
public sealed class VaxCertPeerInteropTests
{
    public static TheoryData<CoseAlgorithm, int> AlgorithmsAndRecordSeeds() => new()
    {
        { CoseAlgorithm.ES256, 1 }, { CoseAlgorithm.ES256, 2 }, { CoseAlgorithm.ES256, 3 },
        { CoseAlgorithm.PS256, 4 }, { CoseAlgorithm.PS256, 5 },
    };

    [Theory]
    [MemberData(nameof(AlgorithmsAndRecordSeeds))]
    public void Peer_verifies_a_VaxCert_HC1_and_reads_the_same_certificate(CoseAlgorithm algorithm, int seed)
    {
        using var certificate = TestPki.CreateSigner(algorithm);
        var record = SampleRecords.Create(seed);
        var issued = Issue(certificate, record);

        var result = DccPeer.Verify(issued.Hc1, PeerPem.Certificate(certificate));

        Assert.True(result.Valid, result.Status);
        Assert.True(DccComparison.SemanticallyEqual(issued.DccJson(), result.Dcc), $"peer read {result.Dcc?.ToJsonString()}");
        // Tie the peer's reading to the record itself too, not only to VaxCert's own JSON view of its CBOR.
        var vaccination = result.Dcc!["v"]![0]!;
        Assert.Equal(record.FamilyName, result.Dcc["nam"]!["fn"]!.GetValue<string>());
        Assert.Equal(record.DateOfBirth, result.Dcc["dob"]!.GetValue<string>());
        Assert.Equal(record.CertificateId, vaccination["ci"]!.GetValue<string>());
        Assert.Equal(record.DoseNumber, vaccination["dn"]!.GetValue<int>());
        Assert.Equal(record.DateOfVaccination.ToString("yyyy-MM-dd"), vaccination["dt"]!.GetValue<string>());
        Assert.Equal(IssuerSettings.Default.Country, result.Issuer);
        Assert.Equal(issued.IssuedAt.ToUnixTimeSeconds(), result.IssuedAt);
        Assert.Equal(issued.ExpiresAt.ToUnixTimeSeconds(), result.ExpiresAt);
    }

    [Fact]
    public void Peer_rejects_a_VaxCert_HC1_under_another_certificate()
    {
        using var certificate = TestPki.CreateSigner(CoseAlgorithm.ES256);
        using var stranger = TestPki.CreateSigner(CoseAlgorithm.ES256, "Stranger");
        var issued = Issue(certificate, SampleRecords.Create(6));

        Assert.Equal("issuer_not_trusted", DccPeer.Verify(issued.Hc1, PeerPem.Certificate(stranger)).Status);
        Assert.Equal("invalid_signature", DccPeer.VerifyWithPublicKey(issued.Hc1, PeerPem.PublicKey(stranger)).Status);
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public void VaxCert_decodes_and_verifies_an_HC1_the_peer_signed(CoseAlgorithm algorithm)
    {
        using var certificate = TestPki.CreateSigner(algorithm);
        using var stranger = TestPki.CreateSigner(algorithm, "Stranger");
        var dcc = PeerSelfCheckTests.SimpleVaccination();
        var hc1 = DccPeer.Sign(dcc, PeerPem.PrivateKeyPkcs8(certificate), PeerPem.Certificate(certificate), issuer: "VN",
            issuedAt: 1_750_000_000, expiresAt: 1_781_536_000);

        var decoded = Hc1Decoder.Decode(hc1);

        Assert.True(decoded.Success, decoded.Failure.ToString());
        Assert.Equal((int)algorithm, decoded.Message!.Algorithm);
        Assert.Equal(KeyIdentifier.For(certificate), decoded.Message.KeyId);
        Assert.True(decoded.Message.VerifySignature(TestPki.PublicOnly(certificate)));
        Assert.False(decoded.Message.VerifySignature(TestPki.PublicOnly(stranger)));
        Assert.True(DccComparison.SemanticallyEqual(dcc, decoded.Dcc), $"VaxCert read {decoded.Dcc?.ToJsonString()}");
        Assert.Equal("VN", decoded.Claims!.Issuer);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_750_000_000), decoded.Claims.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_781_536_000), decoded.Claims.ExpiresAt);
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256, QrErrorCorrection.Q)]
    [InlineData(CoseAlgorithm.ES256, QrErrorCorrection.M)]
    [InlineData(CoseAlgorithm.PS256, QrErrorCorrection.Q)]
    public void Zbar_reads_VaxCert_QR_png_back_to_the_exact_HC1_which_the_peer_verifies(CoseAlgorithm algorithm,
        QrErrorCorrection level)
    {
        using var certificate = TestPki.CreateSigner(algorithm);
        var issued = Issue(certificate, SampleRecords.Create(7));

        var png = QrRenderer.RenderPng(issued.Hc1, level);
        var scanned = Zbar.DecodePng(png.Content);

        Assert.Equal(issued.Hc1, scanned);
        Assert.True(DccPeer.Verify(scanned, PeerPem.Certificate(certificate)).Valid);
    }

    private static IssuedCertificate Issue(X509Certificate2 certificate,
        VaccinationRecord record)
    {
        // The signer owns (and disposes) its own copy; the caller keeps the certificate for the peer.
        using var signer = SoftwareCoseSigner.FromCertificate(
            X509CertificateLoader.LoadPkcs12(
                certificate.Export(X509ContentType.Pkcs12), null));
        var result = Hc1Issuer.Create(signer).Issue(record);
        Assert.True(result.Succeeded, result.Message);
        return result.Certificate!;
    }
}
