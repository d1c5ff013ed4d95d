using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace VaxCert.Pkcs11.Tests;

/// <summary>Independent checks of token signatures: .NET's verifier and BouncyCastle's, both fed only the certificate.</summary>
internal static class Oracle
{
    public static bool DotNetVerifiesEs256(X509Certificate2 cert, byte[] data, byte[] signature)
    {
        using var ec = cert.GetECDsaPublicKey()!;
        return ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public static bool DotNetVerifiesPs256(X509Certificate2 cert, byte[] data, byte[] signature)
    {
        using var rsa = cert.GetRSAPublicKey()!;
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    public static bool BouncyCastleVerifiesEs256(X509Certificate2 cert, byte[] data, byte[] signature)
    {
        var key = PublicKeyFactory.CreateKey(cert.PublicKey.ExportSubjectPublicKeyInfo());
        var signer = new ECDsaSigner();
        signer.Init(false, key);
        var hash = new byte[32];
        var digest = new Sha256Digest();
        digest.BlockUpdate(data, 0, data.Length);
        digest.DoFinal(hash, 0);
        return signature.Length == 64 &&
               signer.VerifySignature(hash, new BigInteger(1, signature, 0, 32), new BigInteger(1, signature, 32, 32));
    }

    public static bool BouncyCastleVerifiesPs256(X509Certificate2 cert, byte[] data, byte[] signature)
    {
        var key = PublicKeyFactory.CreateKey(cert.PublicKey.ExportSubjectPublicKeyInfo());
        var pss = new PssSigner(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), 32);
        pss.Init(false, key);
        pss.BlockUpdate(data, 0, data.Length);
        return pss.VerifySignature(signature);
    }
}
