namespace VaxCert.Core.Pki;

/// <summary>The stable file names of the dev PKI (keys-dev/). Other code and docs refer to these names.</summary>
public static class DevPkiLayout
{
    /// <summary>Ministry root (CSCA): signs document signer certificates.</summary>
    public const string CscaCertificate = "csca.crt.pem", CscaKey = "csca.key.pem";
    /// <summary>Ministry document signer, EC P-256 (ES256): signs the QR certificates.</summary>
    public const string DscEs256Certificate = "dsc-es256.crt.pem", DscEs256Key = "dsc-es256.key.pem";
    /// <summary>Ministry document signer, RSA-2048 (PS256).</summary>
    public const string DscPs256Certificate = "dsc-ps256.crt.pem", DscPs256Key = "dsc-ps256.key.pem";
    /// <summary>Ministry trust-bundle signer (under the CSCA, bundle-signing EKU): signs offline trust bundles.</summary>
    public const string BundleSignerCertificate = "bundle-signer.crt.pem", BundleSignerKey = "bundle-signer.key.pem";
    /// <summary>Merkle audit log key (EC P-256, no certificate): signs the ledger's tree heads (docs/ledger.md, "Merkle audit log").</summary>
    public const string AuditLogKey = "audit-log.key.pem", AuditLogPublicKey = "audit-log.pub.pem";
    /// <summary>Facility CA (its own root, separate from the CSCA): signs facility certificates.</summary>
    public const string FacilityCaCertificate = "facility-ca.crt.pem", FacilityCaKey = "facility-ca.key.pem";
    /// <summary>Folder of facility certificates and keys, named by facility code.</summary>
    public const string FacilitiesFolder = "facilities";
    /// <summary>Revoked facility certificates: one serial number (hex) or kid (base64) per line, '#' comments.</summary>
    public const string FacilityRevocationList = "facility-revoked.txt";

    /// <summary>keys-dev/facilities/&lt;code&gt;.crt.pem.</summary>
    public static string FacilityCertificate(string code) => Path.Combine(FacilitiesFolder, code + ".crt.pem");

    /// <summary>keys-dev/facilities/&lt;code&gt;.key.pem.</summary>
    public static string FacilityKey(string code) => Path.Combine(FacilitiesFolder, code + ".key.pem");
}
