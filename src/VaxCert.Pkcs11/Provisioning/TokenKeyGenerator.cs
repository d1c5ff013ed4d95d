using System.Security.Cryptography;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>The key pairs VaxCert generates on tokens: EC P-256 (ES256) and RSA-2048 (PS256).</summary>
public enum TokenKeyType
{
    /// <summary>EC on NIST P-256, for ES256.</summary>
    EcP256,
    /// <summary>RSA with a 2048-bit modulus, for PS256.</summary>
    Rsa2048,
}

/// <summary>A key pair made on the token, with its public half read back.</summary>
public sealed record GeneratedKeyPair(ulong PublicKeyHandle, ulong PrivateKeyHandle, AsymmetricAlgorithm PublicKey) : IDisposable
{
    public void Dispose() => PublicKey.Dispose();
}

/// <summary>
/// Generates sign-only key pairs: the private key has CKA_SIGN only, is sensitive and can never be extracted. Every other
/// usage is set to false explicitly because modules default them to true (SoftHSM sets CKA_DECRYPT otherwise).
/// </summary>
public static class TokenKeyGenerator
{
    /// <summary>Generates a token (persistent) key pair labelled <paramref name="label"/> with CKA_ID <paramref name="id"/>.
    /// Needs a read-write session with the user logged in.</summary>
    public static GeneratedKeyPair Generate(Pkcs11Session session, TokenKeyType type, string label, byte[] id)
    {
        List<Pkcs11Attribute> publicTemplate =
        [
            Pkcs11Attribute.Of(Cka.TOKEN, true), Pkcs11Attribute.Of(Cka.PRIVATE, false), Pkcs11Attribute.Of(Cka.VERIFY, true),
            Pkcs11Attribute.Of(Cka.ENCRYPT, false), Pkcs11Attribute.Of(Cka.WRAP, false),
            Pkcs11Attribute.Of(Cka.LABEL, label), Pkcs11Attribute.Of(Cka.ID, id),
        ];
        List<Pkcs11Attribute> privateTemplate =
        [
            Pkcs11Attribute.Of(Cka.TOKEN, true), Pkcs11Attribute.Of(Cka.PRIVATE, true), Pkcs11Attribute.Of(Cka.SENSITIVE, true),
            Pkcs11Attribute.Of(Cka.EXTRACTABLE, false), Pkcs11Attribute.Of(Cka.SIGN, true),
            Pkcs11Attribute.Of(Cka.DECRYPT, false), Pkcs11Attribute.Of(Cka.UNWRAP, false), Pkcs11Attribute.Of(Cka.DERIVE, false),
            Pkcs11Attribute.Of(Cka.LABEL, label), Pkcs11Attribute.Of(Cka.ID, id),
        ];
        Pkcs11Mechanism mechanism;
        if (type == TokenKeyType.EcP256)
        {
            publicTemplate.Add(Pkcs11Attribute.Of(Cka.EC_PARAMS, TokenPublicKey.P256Parameters.ToArray()));
            mechanism = new Pkcs11Mechanism(Ckm.EC_KEY_PAIR_GEN);
        }
        else
        {
            publicTemplate.Add(Pkcs11Attribute.Of(Cka.MODULUS_BITS, 2048UL));
            publicTemplate.Add(Pkcs11Attribute.Of(Cka.PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            mechanism = new Pkcs11Mechanism(Ckm.RSA_PKCS_KEY_PAIR_GEN);
        }
        var (pub, priv) = session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate);
        return new GeneratedKeyPair(pub, priv, TokenPublicKey.Read(session, pub));
    }
}
