using System.Security.Cryptography;
using VaxCert.Core.Signing;
using Net.Pkcs11Interop.Common;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>Signatures made on a real SoftHSM2 token, checked by .NET and by BouncyCastle.</summary>
public class TokenSigningTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    private static readonly byte[] Message = "Sig_structure bytes of a DCC"u8.ToArray();

    [Fact]
    public void Es256_signature_from_the_token_verifies_with_dotnet_and_bouncycastle()
    {
        hsm.ProvisionEc("es256-key", 0x01);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("es256-key"));
        var signature = signer.Sign(Message);

        Assert.Equal(CoseAlgorithm.ES256, signer.Algorithm);
        Assert.Equal(64, signature.Length);
        Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, Message, signature));
        Assert.True(Oracle.BouncyCastleVerifiesEs256(signer.Certificate, Message, signature));
        Assert.False(Oracle.DotNetVerifiesEs256(signer.Certificate, [.. Message, 0], signature));
    }

    [Fact]
    public void Ps256_signature_from_the_token_verifies_with_dotnet_and_bouncycastle()
    {
        hsm.ProvisionRsa("ps256-key", 0x02);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("ps256-key"));
        var signature = signer.Sign(Message);

        Assert.Equal(CoseAlgorithm.PS256, signer.Algorithm);
        Assert.Equal(256, signature.Length);
        Assert.True(Oracle.DotNetVerifiesPs256(signer.Certificate, Message, signature));
        Assert.True(Oracle.BouncyCastleVerifiesPs256(signer.Certificate, Message, signature));
        Assert.False(Oracle.BouncyCastleVerifiesPs256(signer.Certificate, [.. Message, 0], signature));
    }

    [Fact]
    public void Key_can_be_selected_by_id_and_kid_is_the_certificate_hash_prefix()
    {
        var key = hsm.ProvisionEc("by-id-key", 0x03);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("by-id-key") with { Key = new KeySelector(Id: [0x03]) });
        Assert.Equal(key.Certificate.RawData, signer.Certificate.RawData);
        Assert.Equal(SHA256.HashData(key.Certificate.RawData)[..8], signer.KeyId.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generated_private_key_is_sign_only_sensitive_and_not_extractable(bool rsa)
    {
        var label = rsa ? "attr-rsa-key" : "attr-ec-key";
        if (rsa) hsm.ProvisionRsa(label, 0x05); else hsm.ProvisionEc(label, 0x04);
        using var session = hsm.Module.OpenSession(hsm.Token.SlotId);
        session.LoginWith(CKU.CKU_USER, System.Text.Encoding.UTF8.GetBytes(hsm.UserPin));
        var handle = Assert.Single(session.Find(4, (CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), (CKA.CKA_LABEL, label)));
        var values = session.ReadBytes(handle, CKA.CKA_SIGN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_DECRYPT, CKA.CKA_UNWRAP, CKA.CKA_DERIVE, CKA.CKA_VALUE);
        Assert.Equal(new byte[] { 1 }, values[0]);
        Assert.Equal(new byte[] { 1 }, values[1]);
        Assert.Equal(new byte[] { 0 }, values[2]);
        Assert.Equal(new byte[] { 0 }, values[3]);
        Assert.Equal(new byte[] { 0 }, values[4]);
        Assert.Equal(new byte[] { 0 }, values[5]);
        Assert.Null(values[6]); // CKA_VALUE of a sensitive key is unavailable
    }

    [Fact]
    public void Token_is_listed_with_its_trimmed_label()
    {
        var token = Assert.Single(hsm.Module.GetTokens(), t => t.Label == hsm.TokenLabel);
        Assert.Equal("SoftHSM project", token.Manufacturer);
        Assert.True(token.IsInitialized);
        Assert.Equal(token.SlotId, hsm.Module.FindToken(new TokenSelector(hsm.TokenLabel)).SlotId);
    }
}
