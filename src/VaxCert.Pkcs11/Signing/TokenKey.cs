using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Signing;

/// <summary>A private key found on a token together with its certificate.</summary>
internal sealed record TokenKey(ulong Handle, byte[] Id, CoseAlgorithm Algorithm, X509Certificate2 Certificate)
{
    /// <summary>Finds exactly one private key for <paramref name="selector"/> and the certificate sharing its CKA_ID.</summary>
    public static TokenKey Find(Pkcs11Session session, KeySelector selector)
    {
        var template = new List<Pkcs11Attribute> { Pkcs11Attribute.Class(Cko.PRIVATE_KEY) };
        if (selector.Label is not null) template.Add(Pkcs11Attribute.Of(Cka.LABEL, selector.Label));
        if (selector.Id is not null) template.Add(Pkcs11Attribute.Of(Cka.ID, selector.Id));
        var keys = session.FindObjects(template, max: 2);
        if (keys.Count == 0)
            throw new Pkcs11LookupException(LookupFailure.KeyNotFound, $"No private key with {selector} on the token.");
        if (keys.Count > 1)
            throw new Pkcs11LookupException(LookupFailure.KeyAmbiguous, $"Several private keys match {selector}; give the CKA_ID.");
        var handle = keys[0];
        var id = session.GetAttribute(handle, Cka.ID) ?? [];
        var algorithm = (Ckk?)session.GetULongAttribute(handle, Cka.KEY_TYPE) switch
        {
            Ckk.EC => CoseAlgorithm.ES256,
            Ckk.RSA => CoseAlgorithm.PS256,
            var other => throw new Pkcs11LookupException(LookupFailure.UnsupportedKey, $"Key type {other} cannot sign ES256 or PS256."),
        };
        return new TokenKey(handle, id, algorithm, FindCertificate(session, id, selector));
    }

    private static X509Certificate2 FindCertificate(Pkcs11Session session, byte[] id, KeySelector selector)
    {
        var certs = session.FindObjects(
            [Pkcs11Attribute.Class(Cko.CERTIFICATE), Pkcs11Attribute.Of(Cka.CERTIFICATE_TYPE, (ulong)Ckc.X_509), Pkcs11Attribute.Of(Cka.ID, id)], max: 2);
        if (certs.Count != 1)
            throw new Pkcs11LookupException(LookupFailure.CertificateNotFound,
                $"Expected one X.509 certificate with the CKA_ID of key {selector}, found {certs.Count}.");
        var der = session.GetAttribute(certs[0], Cka.VALUE)
            ?? throw new Pkcs11LookupException(LookupFailure.CertificateNotFound, "The certificate object has no CKA_VALUE.");
        return X509CertificateLoader.LoadCertificate(der);
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
