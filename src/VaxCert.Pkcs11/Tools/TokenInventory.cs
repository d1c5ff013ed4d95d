using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11.Tools;

/// <summary>One object on a token as shown to operators: no key material, no PIN.</summary>
public sealed record TokenObject(CKO Class, string Label, string Id, string? KeyType, string? Subject);

/// <summary>A token and the objects visible on it.</summary>
public sealed record TokenListing(TokenInfo Token, IReadOnlyList<TokenObject> Objects, bool LoggedIn);

/// <summary>Lists tokens, keys and certificates (what <c>vaxcert token list</c> prints).</summary>
public static class TokenInventory
{
    /// <summary>
    /// Every present token with its public objects; private keys are listed only for tokens the PIN opens
    /// (<paramref name="pin"/> may be null; the caller zeroes it).
    /// </summary>
    public static IReadOnlyList<TokenListing> List(Pkcs11Module module, byte[]? pin = null, TokenSelector? only = null)
    {
        var result = new List<TokenListing>();
        foreach (var token in module.GetTokens().Where(t => t.IsInitialized && (only is null || only.Matches(t))))
        {
            using var session = module.OpenSession(token.SlotId);
            var loggedIn = false;
            if (pin is not null)
            {
                try { session.LoginWith(CKU.CKU_USER, pin); loggedIn = true; }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_INCORRECT) { /* listed without private objects */ }
            }
            var objects = new List<TokenObject>();
            foreach (var cls in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY, CKO.CKO_CERTIFICATE })
                foreach (var handle in session.Find(256, (CKA.CKA_CLASS, cls)))
                    objects.Add(Describe(session, cls, handle));
            if (loggedIn)
                session.Logout();
            result.Add(new TokenListing(token, objects, loggedIn));
        }
        return result;
    }

    private static TokenObject Describe(ISession session, CKO cls, IObjectHandle handle)
    {
        var values = session.ReadBytes(handle, CKA.CKA_LABEL, CKA.CKA_ID, CKA.CKA_VALUE);
        var label = values[0] is { } l ? System.Text.Encoding.UTF8.GetString(l) : "";
        var id = values[1] is { } i ? Convert.ToHexStringLower(i) : "";
        string? keyType = null, subject = null;
        if (cls != CKO.CKO_CERTIFICATE && session.ReadULong(handle, CKA.CKA_KEY_TYPE) is { } kt)
            keyType = ((CKK)kt).ToString();
        if (cls == CKO.CKO_CERTIFICATE && values[2] is { } der)
        {
            try { using var cert = X509CertificateLoader.LoadCertificate(der); subject = cert.Subject; }
            catch (CryptographicException) { subject = "(unparsable certificate)"; }
        }
        return new TokenObject(cls, label, id, keyType, subject);
    }
}
