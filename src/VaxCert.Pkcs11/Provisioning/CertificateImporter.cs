using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>Stores an X.509 certificate on a token next to its key (same CKA_ID, by convention).</summary>
public static class CertificateImporter
{
    /// <summary>Creates a public CKO_CERTIFICATE / CKC_X_509 token object holding the DER certificate.</summary>
    public static IObjectHandle Import(ISession session, X509Certificate2 certificate, string label, byte[] id)
        => session.Create(
            (CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), (CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
            (CKA.CKA_TOKEN, true), (CKA.CKA_PRIVATE, false), (CKA.CKA_LABEL, label), (CKA.CKA_ID, id),
            (CKA.CKA_SUBJECT, certificate.SubjectName.RawData), (CKA.CKA_VALUE, certificate.RawData));
}
