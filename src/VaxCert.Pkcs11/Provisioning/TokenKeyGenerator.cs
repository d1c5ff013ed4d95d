using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

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
public sealed record GeneratedKeyPair(IObjectHandle PublicKeyHandle, IObjectHandle PrivateKeyHandle, AsymmetricAlgorithm PublicKey) : IDisposable
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
    public static GeneratedKeyPair Generate(ISession session, TokenKeyType type, string label, byte[] id)
    {
        List<(CKA, object)> publicTemplate =
        [
            (CKA.CKA_TOKEN, true), (CKA.CKA_PRIVATE, false), (CKA.CKA_VERIFY, true), (CKA.CKA_ENCRYPT, false),
            (CKA.CKA_WRAP, false), (CKA.CKA_LABEL, label), (CKA.CKA_ID, id),
        ];
        List<(CKA, object)> privateTemplate =
        [
            (CKA.CKA_TOKEN, true), (CKA.CKA_PRIVATE, true), (CKA.CKA_SENSITIVE, true), (CKA.CKA_EXTRACTABLE, false),
            (CKA.CKA_SIGN, true), (CKA.CKA_DECRYPT, false), (CKA.CKA_UNWRAP, false), (CKA.CKA_DERIVE, false),
            (CKA.CKA_LABEL, label), (CKA.CKA_ID, id),
        ];
        CKM mechanismType;
        if (type == TokenKeyType.EcP256)
        {
            publicTemplate.Add((CKA.CKA_EC_PARAMS, TokenPublicKey.P256Parameters.ToArray()));
            mechanismType = CKM.CKM_EC_KEY_PAIR_GEN;
        }
        else
        {
            publicTemplate.Add((CKA.CKA_MODULUS_BITS, 2048UL));
            publicTemplate.Add((CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            mechanismType = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
        }
        var pub = publicTemplate.Select(a => SessionExtensions.Attribute(a.Item1, a.Item2)).ToList();
        var priv = privateTemplate.Select(a => SessionExtensions.Attribute(a.Item1, a.Item2)).ToList();
        try
        {
            using var mechanism = Pkcs11InteropRuntime.Factories.MechanismFactory.Create(mechanismType);
            session.GenerateKeyPair(mechanism, pub, priv, out var publicKey, out var privateKey);
            return new GeneratedKeyPair(publicKey, privateKey, TokenPublicKey.Read(session, publicKey));
        }
        finally
        {
            SessionExtensions.DisposeAll(pub);
            SessionExtensions.DisposeAll(priv);
        }
    }
}
