using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Pkcs11.Signing;

/// <summary>A private key found on a token together with its certificate.</summary>
internal sealed record TokenKey(IObjectHandle Handle, byte[] Id, CoseAlgorithm Algorithm, X509Certificate2 Certificate)
{
    /// <summary>Finds exactly one private key for <paramref name="selector"/> and the certificate sharing its CKA_ID.</summary>
    public static TokenKey Find(ISession session, KeySelector selector)
    {
        var keys = session.Find(2, selector.Template(CKO.CKO_PRIVATE_KEY));
        if (keys.Count == 0)
            throw new Pkcs11LookupException(LookupFailure.KeyNotFound, $"No private key with {selector} on the token.");
        if (keys.Count > 1)
            throw new Pkcs11LookupException(LookupFailure.KeyAmbiguous, $"Several private keys match {selector}; give the CKA_ID.");
        var handle = keys[0];
        var id = session.ReadBytes(handle, CKA.CKA_ID)[0] ?? [];
        var algorithm = (CKK?)session.ReadULong(handle, CKA.CKA_KEY_TYPE) switch
        {
            CKK.CKK_EC => CoseAlgorithm.ES256,
            CKK.CKK_RSA => CoseAlgorithm.PS256,
            var other => throw new Pkcs11LookupException(LookupFailure.UnsupportedKey, $"Key type {other} cannot sign ES256 or PS256."),
        };
        return new TokenKey(handle, id, algorithm, TokenCertificate.ForKeyId(session, id, selector));
    }

    /// <summary>Refuses a key whose certificate carries another public key or an unsupported key size.</summary>
    public void EnsureCertificateMatches(Func<byte[], byte[]> signHash)
    {
        var probe = RandomNumberGenerator.GetBytes(32);
        var hash = SHA256.HashData(probe);
        var signature = signHash(hash);
        using var key = CoseVerificationKey.FromCertificate(Certificate, out var problem);
        if (key is null || key.Algorithm != Algorithm)
            throw Mismatch(Algorithm == CoseAlgorithm.ES256 ? "is not an EC P-256 certificate" : "is not an RSA certificate of at least 2048 bits");
        var ok = key.VerifyHash((int)Algorithm, hash, signature);
        if (!ok)
            throw Mismatch("does not hold the public key of the token's private key (probe signature did not verify)");
    }

    private Pkcs11LookupException Mismatch(string why)
        => new(LookupFailure.CertificateMismatch, $"Certificate '{Certificate.Subject}' {why}.");
}
