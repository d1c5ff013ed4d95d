using VaxCert.Core.Decoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>The whole pipeline with the private key on a SoftHSM2 token: issue HC1, decode it, verify the COSE signature.</summary>
public class Hc1WithTokenKeyTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public void Hc1_issued_with_a_token_key_decodes_and_verifies(CoseAlgorithm algorithm)
    {
        var label = $"hc1-{algorithm}";
        if (algorithm == CoseAlgorithm.ES256) hsm.ProvisionEc(label, 0x41); else hsm.ProvisionRsa(label, 0x42);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions(label));
        var result = Hc1Issuer.Create(signer).Issue(new VaccinationRecord
        {
            FamilyName = "Nguyễn", GivenName = "Văn An", DateOfBirth = "1990-01-02", Nationality = "VN",
            TotalDoses = 2, DoseNumber = 2, DateOfVaccination = new DateOnly(2021, 9, 14), VaccineType = "1119349007",
            VaccineProduct = "EU/1/20/1528", Manufacturer = "ORG-100030215",
            CertificateId = new DeterministicUvci("VN").For("79001", "2021-000777"),
        });
        Assert.True(result.Succeeded, result.Message);

        var decoded = Hc1Decoder.Decode(result.Certificate!.Hc1);
        Assert.True(decoded.Success, decoded.Failure.ToString());
        var message = decoded.Message!;
        Assert.Equal((int)algorithm, message.Algorithm);
        Assert.Equal(signer.KeyId.ToArray(), message.KeyId);
        Assert.True(message.VerifySignature(signer.Certificate));
        // Independent of VaxCert's verifier: BouncyCastle over the Sig_structure.
        var tbs = message.ToBeSigned();
        var signature = message.Signature.ToArray();
        Assert.True(algorithm == CoseAlgorithm.ES256
            ? Oracle.BouncyCastleVerifiesEs256(signer.Certificate, tbs, signature)
            : Oracle.BouncyCastleVerifiesPs256(signer.Certificate, tbs, signature));
    }
}
