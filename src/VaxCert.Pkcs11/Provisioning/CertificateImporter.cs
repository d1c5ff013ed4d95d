using System.Security.Cryptography.X509Certificates;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>Stores an X.509 certificate on a token next to its key (same CKA_ID, by convention).</summary>
public static class CertificateImporter
{
    /// <summary>Creates a CKO_CERTIFICATE / CKC_X_509 token object holding the DER certificate.</summary>
    public static ulong Import(Pkcs11Session session, X509Certificate2 certificate, string label, byte[] id)
        => session.CreateObject(
        [
            Pkcs11Attribute.Class(Cko.CERTIFICATE), Pkcs11Attribute.Of(Cka.CERTIFICATE_TYPE, (ulong)Ckc.X_509),
            Pkcs11Attribute.Of(Cka.TOKEN, true), Pkcs11Attribute.Of(Cka.PRIVATE, false),
            Pkcs11Attribute.Of(Cka.LABEL, label), Pkcs11Attribute.Of(Cka.ID, id),
            Pkcs11Attribute.Of(Cka.SUBJECT, certificate.SubjectName.RawData), Pkcs11Attribute.Of(Cka.VALUE, certificate.RawData),
        ]);
}
