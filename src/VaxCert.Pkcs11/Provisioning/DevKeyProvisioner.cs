using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>A key pair and its certificate now on a token.</summary>
public sealed record ProvisionedKey(string Label, byte[] Id, TokenKeyType Type, X509Certificate2 Certificate, bool IssuedByThrowawayCa);

/// <summary>Generates a sign-only key pair on a token, issues a certificate for it and stores the certificate beside it.</summary>
public static class DevKeyProvisioner
{
    /// <summary>Runs the three steps in one logged-in read-write session.</summary>
    /// <param name="module">The loaded module.</param>
    /// <param name="token">The target token.</param>
    /// <param name="userPin">User PIN bytes; the caller zeroes them.</param>
    /// <param name="type">EC P-256 or RSA-2048.</param>
    /// <param name="label">CKA_LABEL for the key pair and certificate.</param>
    /// <param name="id">CKA_ID shared by the key pair and certificate.</param>
    /// <param name="subject">Certificate subject DN.</param>
    /// <param name="issuer">CA certificate with private key, or null for a throwaway CA.</param>
    public static ProvisionedKey Provision(Pkcs11Module module, TokenInfo token, byte[] userPin,
        TokenKeyType type, string label, byte[] id, string subject, X509Certificate2? issuer)
    {
        using var session = module.OpenSession(token.SlotId, readWrite: true);
        session.LoginWith(CKU.CKU_USER, userPin);
        using var pair = TokenKeyGenerator.Generate(session, type, label, id);
        var certificate = DevCertificateIssuer.Issue(pair.PublicKey, subject, issuer);
        CertificateImporter.Import(session, certificate, label, id);
        return new ProvisionedKey(label, id, type, certificate, issuer is null);
    }
}
