using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Chain;
using VaxCert.Core.Pki;

namespace VaxCert.Server.Issuance;

/// <summary>
/// The certificates the server trusts and publishes: ministry document signers, facility CAs, registered facility
/// certificates and revoked facility certificates. <see cref="FacilityTrust"/> checks co-signatures; the lists feed the
/// trust list.
/// </summary>
public sealed class TrustMaterial
{
    /// <param name="documentSigners">Ministry DSC certificates to publish (the active signer's and older ones still in use).</param>
    /// <param name="facilityCas">Facility CA certificates.</param>
    /// <param name="facilityCertificates">Registered facility certificates.</param>
    /// <param name="revokedFacilityEntries">Revoked facility certificates: serial (hex) or kid (base64).</param>
    public TrustMaterial(IEnumerable<X509Certificate2> documentSigners, IEnumerable<X509Certificate2> facilityCas,
        IEnumerable<X509Certificate2> facilityCertificates, IEnumerable<string>? revokedFacilityEntries = null)
    {
        DocumentSigners = documentSigners.Select(PublicOnly).ToList();
        FacilityCas = facilityCas.Select(PublicOnly).ToList();
        FacilityCertificates = facilityCertificates.Select(PublicOnly).ToList();
        RevokedFacilityEntries = (revokedFacilityEntries ?? []).ToList();
        FacilityTrust = new FacilityTrust(FacilityCas, FacilityCertificates, RevokedFacilityEntries);
    }

    /// <summary>Ministry document signer certificates (public parts).</summary>
    public IReadOnlyList<X509Certificate2> DocumentSigners { get; }

    /// <summary>Facility CA certificates.</summary>
    public IReadOnlyList<X509Certificate2> FacilityCas { get; }

    /// <summary>Registered facility certificates.</summary>
    public IReadOnlyList<X509Certificate2> FacilityCertificates { get; }

    /// <summary>Revoked facility certificate entries.</summary>
    public IReadOnlyList<string> RevokedFacilityEntries { get; }

    /// <summary>The facility-level trust built from these certificates.</summary>
    public FacilityTrust FacilityTrust { get; }

    /// <summary>
    /// Loads facility trust from a folder laid out like keys-dev (facility-ca.crt.pem, facilities/*.crt.pem,
    /// facility-revoked.txt) and publishes <paramref name="documentSigners"/> as the DSCs.
    /// </summary>
    public static TrustMaterial LoadFacilityDirectory(string directory, IEnumerable<X509Certificate2> documentSigners)
    {
        var caPath = Path.Combine(directory, DevPkiLayout.FacilityCaCertificate);
        if (!File.Exists(caPath))
            throw new FileNotFoundException($"facility CA certificate {DevPkiLayout.FacilityCaCertificate} not found in the facility trust folder", caPath);
        var folder = Path.Combine(directory, DevPkiLayout.FacilitiesFolder);
        var facilities = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.crt.pem").Order(StringComparer.Ordinal).Select(X509CertificateLoader.LoadCertificateFromFile).ToList()
            : [];
        var revokedPath = Path.Combine(directory, DevPkiLayout.FacilityRevocationList);
        var revoked = File.Exists(revokedPath) ? FacilityTrust.ReadRevocationList(revokedPath) : [];
        return new TrustMaterial(documentSigners, [X509CertificateLoader.LoadCertificateFromFile(caPath)], facilities, revoked);
    }

    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) =>
        certificate.HasPrivateKey ? X509CertificateLoader.LoadCertificate(certificate.RawData) : certificate;
}
