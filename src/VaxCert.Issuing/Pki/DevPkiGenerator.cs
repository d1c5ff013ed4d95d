using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VaxCert.Core.Pki;

namespace VaxCert.Issuing.Pki;

/// <summary>
/// Writes VaxCert's development PKI as PEM files: the Ministry CSCA, its two document signers (ES256, PS256) and its
/// trust-bundle signer, and a
/// separate facility CA with one certificate per sample facility. Dates are fixed (not "now") so the committed keys-dev
/// stays valid for demos until 2030. NOT FOR PRODUCTION: every private key is written in the clear.
/// </summary>
public static class DevPkiGenerator
{
    /// <summary>Validity of the document signers and facility certificates.</summary>
    public static readonly DateTimeOffset SignersFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        SignersUntil = new(2030, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>Validity of the two roots: longer than anything they issue.</summary>
    public static readonly DateTimeOffset RootsFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        RootsUntil = new(2039, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>The EC P-256 sample facilities.</summary>
    public static IReadOnlyList<DevFacility> SampleFacilities { get; } =
    [
        new("HN001", "Bach Mai Hospital (DEV)"),
        new("HCM01", "Cho Ray Hospital (DEV)"),
        new("DN001", "Da Nang Hospital (DEV)"),
    ];

    /// <summary>The RSA-2048 sample facility written with <see cref="DevPkiOptions.IncludeRsaFacility"/>.</summary>
    public static DevFacility RsaFacility { get; } = new("HP001", "Viet Tiep Hospital Hai Phong (DEV)", Rsa: true);

    private const string MinistryOrg = "Ministry of Health of Viet Nam (DEV ONLY)";
    private const string FacilityOrg = "VaxCert facilities (DEV ONLY)";

    /// <summary>Generates everything; throws <see cref="IOException"/> when files exist and Force is not set.</summary>
    public static DevPkiResult Generate(DevPkiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var outDir = Path.GetFullPath(options.OutputDirectory);
        var existing = Path.Combine(outDir, DevPkiLayout.CscaCertificate);
        if (File.Exists(existing) && !options.Force)
            throw new IOException($"{existing} already exists; pass --force to replace the whole dev PKI.");
        Directory.CreateDirectory(Path.Combine(outDir, DevPkiLayout.FacilitiesFolder));
        var files = new List<string>();

        using var csca = CertificateFactory.CreateRootCa(Name("VaxCert DEV CSCA", MinistryOrg), RootsFrom, RootsUntil);
        Write(outDir, files, csca, DevPkiLayout.CscaCertificate, DevPkiLayout.CscaKey);
        using (var es = CertificateFactory.CreateSigner(csca, Name("VaxCert DEV DSC ES256", MinistryOrg), false,
                   SignersFrom, SignersUntil, CertificateFactory.EkuVaccination))
            Write(outDir, files, es, DevPkiLayout.DscEs256Certificate, DevPkiLayout.DscEs256Key);
        using (var ps = CertificateFactory.CreateSigner(csca, Name("VaxCert DEV DSC PS256", MinistryOrg), true,
                   SignersFrom, SignersUntil, CertificateFactory.EkuVaccination))
            Write(outDir, files, ps, DevPkiLayout.DscPs256Certificate, DevPkiLayout.DscPs256Key);
        WriteBundleSigner(outDir, files, csca);
        WriteAuditLogKey(outDir, files);

        using var facilityCa = CertificateFactory.CreateRootCa(Name("VaxCert DEV Facility CA", FacilityOrg), RootsFrom, RootsUntil);
        Write(outDir, files, facilityCa, DevPkiLayout.FacilityCaCertificate, DevPkiLayout.FacilityCaKey);
        var facilities = options.IncludeRsaFacility ? SampleFacilities.Append(RsaFacility) : SampleFacilities;
        foreach (var f in facilities)
        {
            using var cert = CertificateFactory.CreateSigner(facilityCa, FacilityIdentity.Subject(f.Code, f.Name, FacilityOrg),
                f.Rsa, SignersFrom, SignersUntil);
            Write(outDir, files, cert, DevPkiLayout.FacilityCertificate(f.Code), DevPkiLayout.FacilityKey(f.Code));
        }

        RemoveStaleFacilities(outDir, facilities.Select(f => f.Code));

        var revoked = Path.Combine(outDir, DevPkiLayout.FacilityRevocationList);
        File.WriteAllText(revoked, "# Revoked facility certificates: one serial number (hex) or kid (base64) per line.\n");
        files.Add(DevPkiLayout.FacilityRevocationList);
        File.WriteAllText(Path.Combine(outDir, "README.md"), DevPkiReadme.Render(facilities.ToList()), new UTF8Encoding(false));
        files.Add("README.md");
        return new DevPkiResult(outDir, files);
    }

    /// <summary>
    /// With --force over an older PKI, facility files this run did not write (e.g. HP001 from an earlier --rsa-facility run)
    /// were issued by the replaced facility CA: left in place they would be trusted folders' stale certificates that no
    /// longer chain. Only facility certificate and key files (CODE.crt.pem, CODE.key.pem) are removed.
    /// </summary>
    private static void RemoveStaleFacilities(string outDir, IEnumerable<string> written)
    {
        var keep = written.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(outDir, DevPkiLayout.FacilitiesFolder), "*.pem"))
        {
            var name = Path.GetFileName(file);
            var code = name.EndsWith(".crt.pem", StringComparison.Ordinal) ? name[..^".crt.pem".Length]
                : name.EndsWith(".key.pem", StringComparison.Ordinal) ? name[..^".key.pem".Length] : null;
            if (code is not null && !keep.Contains(code)) File.Delete(file);
        }
    }

    /// <summary>
    /// Adds the trust-bundle signer to an existing dev PKI (under its CSCA, whose key must be in the folder), leaving every
    /// other file as it is; returns the files written. Refuses to replace an existing bundle signer unless forced.
    /// </summary>
    public static IReadOnlyList<string> AddBundleSigner(string directory, bool force = false)
    {
        var dir = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(dir, DevPkiLayout.BundleSignerCertificate)) && !force)
            throw new IOException($"{Path.Combine(dir, DevPkiLayout.BundleSignerCertificate)} already exists; pass force to replace it.");
        using var csca = X509Certificate2.CreateFromPemFile(Path.Combine(dir, DevPkiLayout.CscaCertificate), Path.Combine(dir, DevPkiLayout.CscaKey));
        var files = new List<string>();
        WriteBundleSigner(dir, files, csca);
        return files;
    }

    private static void WriteBundleSigner(string outDir, List<string> files, X509Certificate2 csca)
    {
        using var bundle = CertificateFactory.CreateSigner(csca, Name("VaxCert DEV Trust Bundle Signer", MinistryOrg), false,
            SignersFrom, SignersUntil, CertificateFactory.EkuTrustBundleSigning);
        Write(outDir, files, bundle, DevPkiLayout.BundleSignerCertificate, DevPkiLayout.BundleSignerKey);
    }

    /// <summary>The audit log key: a bare P-256 key pair (auditors get the public half, no certificate chain).</summary>
    private static void WriteAuditLogKey(string outDir, List<string> files)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(outDir, DevPkiLayout.AuditLogKey), key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(Path.Combine(outDir, DevPkiLayout.AuditLogPublicKey), key.ExportSubjectPublicKeyInfoPem() + "\n");
        files.Add(DevPkiLayout.AuditLogKey);
        files.Add(DevPkiLayout.AuditLogPublicKey);
    }

    private static X500DistinguishedName Name(string cn, string org)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCountryOrRegion("VN");
        b.AddOrganizationName(org);
        b.AddCommonName(cn);
        return b.Build();
    }

    private static void Write(string outDir, List<string> files, X509Certificate2 cert, string certName, string keyName)
    {
        var (certPem, keyPem) = CertificateFactory.ToPem(cert);
        File.WriteAllText(Path.Combine(outDir, certName), certPem + "\n");
        File.WriteAllText(Path.Combine(outDir, keyName), keyPem + "\n");
        files.Add(certName);
        files.Add(keyName);
    }
}
