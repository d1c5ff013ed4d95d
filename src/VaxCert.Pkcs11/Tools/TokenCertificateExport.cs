using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;

namespace VaxCert.Pkcs11.Tools;

/// <summary>
/// What <c>vaxcert token export-cert</c> does: read a key's X.509 certificate from a token, so a facility can hand it to
/// the ministry for registration (issue 14). Certificates are public objects, so no PIN is needed unless the token hides
/// them; a PIN, when given, is only used to log in and is zeroed by the caller.
/// </summary>
public static class TokenCertificateExport
{
    /// <summary>The certificate of <paramref name="key"/> on the token <paramref name="token"/>.</summary>
    /// <exception cref="Pkcs11LookupException">Token, key or certificate not found, or ambiguous.</exception>
    /// <exception cref="Pkcs11Exception">The token refused a call (for example a wrong PIN).</exception>
    public static X509Certificate2 Read(Pkcs11Module module, TokenSelector token, KeySelector key, byte[]? pin = null)
    {
        var found = module.FindToken(token);
        using var session = module.OpenSession(found.SlotId);
        if (pin is not null)
            session.LoginWith(CKU.CKU_USER, pin);
        try
        {
            return TokenCertificate.Find(session, key);
        }
        finally
        {
            if (pin is not null)
                session.Logout();
        }
    }

    /// <summary>The certificate as PEM ("-----BEGIN CERTIFICATE-----"), ending with a newline.</summary>
    public static string ToPem(X509Certificate2 certificate) => PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n";
}
