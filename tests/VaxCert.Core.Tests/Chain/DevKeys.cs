using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Chain;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Chain;

/// <summary>Signers and trust from the committed keys-dev folder.</summary>
internal static class DevKeys
{
    public static SoftwareCoseSigner Facility(string code) => SoftwareCoseSigner.FromPemFiles(
        Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate(code)), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityKey(code)));

    public static SoftwareCoseSigner Dsc(CoseAlgorithm alg = CoseAlgorithm.ES256) => alg == CoseAlgorithm.ES256
        ? SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key))
        : SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscPs256Certificate), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscPs256Key));

    public static X509Certificate2 FacilityCa() => X509Certificate2.CreateFromPemFile(
        Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaCertificate), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaKey));

    public static FacilityTrust Trust(params X509Certificate2[] extraFacilityCertificates)
    {
        var dir = RepoPaths.KeysDev;
        var certs = Directory.GetFiles(Path.Combine(dir, DevPkiLayout.FacilitiesFolder), "*.crt.pem")
            .Select(X509CertificateLoader.LoadCertificateFromFile).Concat(extraFacilityCertificates.Select(TestPki.PublicOnly));
        return new FacilityTrust([X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, DevPkiLayout.FacilityCaCertificate))], certs);
    }
}
