using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Tools;

/// <summary>One object on a token as shown to operators: no key material, no PIN.</summary>
public sealed record TokenObject(Cko Class, string Label, string Id, string? KeyType, string? Subject);

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
                try { session.Login(Cku.USER, pin); loggedIn = true; }
                catch (Pkcs11Exception e) when (e.Result == Ckr.PIN_INCORRECT) { /* listed without private objects */ }
            }
            var objects = new List<TokenObject>();
            foreach (var cls in new[] { Cko.PRIVATE_KEY, Cko.PUBLIC_KEY, Cko.CERTIFICATE })
                foreach (var handle in session.FindObjects([Pkcs11Attribute.Class(cls)], max: 256))
                    objects.Add(Describe(session, cls, handle));
            if (loggedIn)
                session.Logout();
            result.Add(new TokenListing(token, objects, loggedIn));
        }
        return result;
    }

    private static TokenObject Describe(Pkcs11Session session, Cko cls, ulong handle)
    {
        var values = session.GetAttributes(handle, Cka.LABEL, Cka.ID, Cka.VALUE);
        var label = values[0] is { } l ? System.Text.Encoding.UTF8.GetString(l) : "";
        var id = values[1] is { } i ? Convert.ToHexStringLower(i) : "";
        string? keyType = null, subject = null;
        if (cls != Cko.CERTIFICATE && session.GetULongAttribute(handle, Cka.KEY_TYPE) is { } kt)
            keyType = ((Ckk)kt).ToString();
        if (cls == Cko.CERTIFICATE && values[2] is { } der)
        {
            try { using var cert = X509CertificateLoader.LoadCertificate(der); subject = cert.Subject; }
            catch (CryptographicException) { subject = "(unparsable certificate)"; }
        }
        return new TokenObject(cls, label, id, keyType, subject);
    }
}
