using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;

namespace VaxCert.Conformance.Generation;

/// <summary>The dev PKI (keys-dev/) as the generator uses it: document signers, CSCA and facility CA with keys, facilities.</summary>
public sealed class DevKeys : IDisposable
{
    private readonly string _folder;

    private DevKeys(string folder)
    {
        _folder = folder;
        Es256 = SoftwareCoseSigner.FromPemFiles(File(DevPkiLayout.DscEs256Certificate), File(DevPkiLayout.DscEs256Key));
        Ps256 = SoftwareCoseSigner.FromPemFiles(File(DevPkiLayout.DscPs256Certificate), File(DevPkiLayout.DscPs256Key));
        Csca = X509Certificate2.CreateFromPemFile(File(DevPkiLayout.CscaCertificate), File(DevPkiLayout.CscaKey));
        FacilityCa = X509Certificate2.CreateFromPemFile(File(DevPkiLayout.FacilityCaCertificate), File(DevPkiLayout.FacilityCaKey));
    }

    /// <summary>Loads keys-dev (or another folder with the same layout).</summary>
    public static DevKeys Load(string folder) => new(Path.GetFullPath(folder));

    /// <summary>The ministry's ES256 document signer.</summary>
    public SoftwareCoseSigner Es256 { get; }

    /// <summary>The ministry's PS256 document signer.</summary>
    public SoftwareCoseSigner Ps256 { get; }

    /// <summary>The CSCA with its private key (to mint deliberately wrong document signers).</summary>
    public X509Certificate2 Csca { get; }

    /// <summary>The facility CA with its private key (a root that is not the CSCA).</summary>
    public X509Certificate2 FacilityCa { get; }

    /// <summary>A facility's signer (EC facilities keep the full co-signature in the QR).</summary>
    public SoftwareCoseSigner Facility(string code) =>
        SoftwareCoseSigner.FromPemFiles(File(DevPkiLayout.FacilityCertificate(code)), File(DevPkiLayout.FacilityKey(code)));

    private string File(string relative) => Path.Combine(_folder, relative);

    /// <inheritdoc />
    public void Dispose()
    {
        Es256.Dispose();
        Ps256.Dispose();
        Csca.Dispose();
        FacilityCa.Dispose();
    }
}
