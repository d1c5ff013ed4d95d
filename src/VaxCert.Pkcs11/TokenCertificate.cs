using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11;

/// <summary>The X.509 certificate object of a key: CKO_CERTIFICATE / CKC_X_509 with the key's CKA_ID.</summary>
public static class TokenCertificate
{
    /// <summary>Reads the one certificate with CKA_ID <paramref name="id"/>.</summary>
    /// <exception cref="Pkcs11LookupException">None, several, or no CKA_VALUE.</exception>
    public static X509Certificate2 ForKeyId(ISession session, byte[] id, KeySelector forKey)
    {
        var certs = session.Find(2, (CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), (CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509), (CKA.CKA_ID, id));
        if (certs.Count != 1)
            throw new Pkcs11LookupException(LookupFailure.CertificateNotFound,
                $"Expected one X.509 certificate with the CKA_ID of key {forKey}, found {certs.Count}.");
        var der = session.ReadBytes(certs[0], CKA.CKA_VALUE)[0];
        if (der is not { Length: > 0 })
            throw new Pkcs11LookupException(LookupFailure.CertificateNotFound, "The certificate object has no CKA_VALUE.");
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new Pkcs11LookupException(LookupFailure.CertificateNotFound, $"The certificate of key {forKey} is not valid DER: {e.Message}");
        }
    }

    /// <summary>
    /// The certificate for <paramref name="selector"/>: by CKA_ID when the selector has one, else the CKA_ID of the
    /// certificate (or, on tokens that need a login to see it, the private key) with that label.
    /// </summary>
    public static X509Certificate2 Find(ISession session, KeySelector selector)
    {
        if (selector.Id is { } id)
            return ForKeyId(session, id, selector);
        var labelled = session.Find(2, selector.Template(CKO.CKO_CERTIFICATE));
        if (labelled.Count == 0)
            labelled = session.Find(2, selector.Template(CKO.CKO_PRIVATE_KEY));
        if (labelled.Count != 1)
            throw new Pkcs11LookupException(labelled.Count == 0 ? LookupFailure.CertificateNotFound : LookupFailure.KeyAmbiguous,
                $"Expected one certificate or key with {selector}, found {labelled.Count}.");
        return ForKeyId(session, session.ReadBytes(labelled[0], CKA.CKA_ID)[0] ?? [], selector);
    }
}
