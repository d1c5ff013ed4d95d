using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Pki;

namespace VaxCert.Server.Hosting;

/// <summary>
/// "Is this certificate a ministry document signer (DSC)?" Checked at start-up so that a facility certificate, a CA or a
/// TLS certificate configured by mistake as the signer stops the server with one clear error instead of issuing
/// certificates no verifier will accept (or, worse, certificates signed by a facility key).
/// </summary>
public static class SignerCertificateProfile
{
    private const string DccEkuArc = "1.3.6.1.4.1.1847.2021.1.";

    /// <summary>Why <paramref name="signer"/> is not a DSC, or null when it has the DSC profile.</summary>
    /// <param name="signer">The configured signing certificate.</param>
    /// <param name="facilityCas">The facility CAs of the trust folder: a certificate they issued is a facility's, never a DSC.</param>
    public static string? Problem(X509Certificate2 signer, IEnumerable<X509Certificate2> facilityCas)
    {
        var subject = signer.Subject;
        if (FacilityIdentity.FacilityCodeOf(signer) is { } code)
            return $"the signing certificate '{subject}' is facility {code}'s certificate, not a ministry document signer (DSC)";
        foreach (var ca in facilityCas)
            if (IssuedBy(signer, ca))
                return $"the signing certificate '{subject}' is issued by the facility CA '{ca.Subject}', not by the ministry CSCA";
        foreach (var extension in signer.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return $"the signing certificate '{subject}' is a CA certificate, not a document signer";
                case X509KeyUsageExtension usage when (usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0:
                    return $"the signing certificate '{subject}' does not allow digital signatures (key usage {usage.KeyUsages})";
                case X509EnhancedKeyUsageExtension eku when eku.EnhancedKeyUsages.Count > 0
                                                            && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
                                                                .Any(o => o.Value?.StartsWith(DccEkuArc, StringComparison.Ordinal) == true):
                    // An EKU list without any DCC type (1.3.6.1.4.1.1847.2021.1.x) restricts the key to other uses, e.g. TLS.
                    return $"the signing certificate '{subject}' has extended key usages but none for health certificates ({DccEkuArc}x)";
            }
        }
        return null;
    }

    // Same issuer name and a signature that verifies with the CA's key: a name match alone could be a look-alike CA.
    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.SubjectName.RawData))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }
}
