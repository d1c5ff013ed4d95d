using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.OpenSsl;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Pki;
using VaxCert.Testing;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VaxCert.Issuing.Tests.Pki;

/// <summary>
/// The dev PKI, fresh and as committed in keys-dev/: BouncyCastle (an independent implementation) checks every signature of
/// the chain, and .NET checks the chain is what docs/pki.md says (facility certificates under the facility CA only).
/// </summary>
public sealed class DevPkiTests
{
    public static TheoryData<string> Folders() => new() { "committed", "fresh" };

    private static string Folder(string which)
    {
        if (which == "committed") return RepoPaths.KeysDev;
        var dir = Path.Combine(RepoPaths.NewTempDir("devpki"), "keys");
        DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir, IncludeRsaFacility = true });
        return dir;
    }

    [Theory, MemberData(nameof(Folders))]
    public void Every_certificate_is_signed_by_its_documented_issuer(string which)
    {
        var dir = Folder(which);
        var csca = ReadBc(dir, DevPkiLayout.CscaCertificate);
        var facilityCa = ReadBc(dir, DevPkiLayout.FacilityCaCertificate);
        csca.Verify(csca.GetPublicKey());
        facilityCa.Verify(facilityCa.GetPublicKey());
        ReadBc(dir, DevPkiLayout.DscEs256Certificate).Verify(csca.GetPublicKey());
        ReadBc(dir, DevPkiLayout.DscPs256Certificate).Verify(csca.GetPublicKey());
        ReadBc(dir, DevPkiLayout.BundleSignerCertificate).Verify(csca.GetPublicKey());
        foreach (var f in DevPkiGenerator.SampleFacilities.Append(DevPkiGenerator.RsaFacility))
        {
            var cert = ReadBc(dir, DevPkiLayout.FacilityCertificate(f.Code));
            cert.Verify(facilityCa.GetPublicKey());
            Assert.ThrowsAny<Exception>(() => cert.Verify(csca.GetPublicKey()));
        }
    }

    [Theory, MemberData(nameof(Folders))]
    public void Facility_certificates_carry_their_code_and_keys_load_as_signers(string which)
    {
        var dir = Folder(which);
        foreach (var f in DevPkiGenerator.SampleFacilities.Append(DevPkiGenerator.RsaFacility))
        {
            using var signer = SoftwareCoseSigner.FromPemFiles(Path.Combine(dir, DevPkiLayout.FacilityCertificate(f.Code)),
                Path.Combine(dir, DevPkiLayout.FacilityKey(f.Code)));
            Assert.Equal(f.Code, FacilityIdentity.FacilityCodeOf(signer.Certificate));
            Assert.Equal(f.Rsa ? CoseAlgorithm.PS256 : CoseAlgorithm.ES256, signer.Algorithm);
            Assert.Equal(new DateTime(2030, 12, 31, 23, 59, 59, DateTimeKind.Utc), signer.Certificate.NotAfter.ToUniversalTime());
        }
        using var dsc = SoftwareCoseSigner.FromPemFiles(Path.Combine(dir, DevPkiLayout.DscEs256Certificate), Path.Combine(dir, DevPkiLayout.DscEs256Key));
        Assert.Null(FacilityIdentity.FacilityCodeOf(dsc.Certificate));
        var eku = dsc.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.4.1.1847.2021.1.2");
        using var ps = SoftwareCoseSigner.FromPemFiles(Path.Combine(dir, DevPkiLayout.DscPs256Certificate), Path.Combine(dir, DevPkiLayout.DscPs256Key));
        Assert.Equal(CoseAlgorithm.PS256, ps.Algorithm);
        // The bundle signer may sign trust bundles and nothing else: no DCC type EKU, so no verifier accepts a QR it signed.
        using var bundle = SoftwareCoseSigner.FromPemFiles(Path.Combine(dir, DevPkiLayout.BundleSignerCertificate), Path.Combine(dir, DevPkiLayout.BundleSignerKey));
        var bundleEkus = bundle.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages
            .Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToList();
        Assert.Equal([CertificateFactory.EkuTrustBundleSigning], bundleEkus);
    }

    [Theory, MemberData(nameof(Folders))]
    public void The_audit_log_key_pair_is_p256_and_its_public_half_verifies_what_the_private_half_signs(string which)
    {
        var dir = Folder(which);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(dir, DevPkiLayout.AuditLogKey)));
        using var pub = System.Security.Cryptography.ECDsa.Create();
        pub.ImportFromPem(File.ReadAllText(Path.Combine(dir, DevPkiLayout.AuditLogPublicKey)));
        Assert.Equal(256, key.KeySize);
        var signature = key.SignData("tree head"u8.ToArray(), System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.True(pub.VerifyData("tree head"u8.ToArray(), signature, System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Fact]
    public void The_committed_folder_says_not_for_production()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.KeysDev, "README.md"));
        Assert.Contains("NOT FOR PRODUCTION", readme);
        foreach (var name in new[] { DevPkiLayout.CscaCertificate, DevPkiLayout.DscEs256Key, DevPkiLayout.FacilityCaKey, DevPkiLayout.BundleSignerKey, "facilities/HN001.key.pem" })
            Assert.Contains(name, readme);
    }

    [Fact]
    public void An_existing_pki_is_not_overwritten_without_force()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir("devpki"), "keys");
        DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir });
        var before = File.ReadAllText(Path.Combine(dir, DevPkiLayout.CscaKey));
        Assert.Throws<IOException>(() => DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir }));
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, DevPkiLayout.CscaKey)));
        DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir, Force = true });
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(dir, DevPkiLayout.CscaKey)));
    }

    [Fact]
    public void Force_without_rsa_facility_leaves_no_stale_facility_of_the_replaced_ca()
    {
        // Issue 14: "pki init-dev --out keys-dev --force" over the committed PKI (which has HP001) left HP001 files signed by
        // the old facility CA, which no longer chained and broke every test that loads the trust folder.
        var dir = Path.Combine(RepoPaths.NewTempDir("devpki"), "keys");
        DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir, IncludeRsaFacility = true });
        var notes = Path.Combine(dir, DevPkiLayout.FacilitiesFolder, "NOTES.txt");
        File.WriteAllText(notes, "kept");

        DevPkiGenerator.Generate(new DevPkiOptions { OutputDirectory = dir, Force = true });

        Assert.False(File.Exists(Path.Combine(dir, DevPkiLayout.FacilityCertificate(DevPkiGenerator.RsaFacility.Code))));
        Assert.False(File.Exists(Path.Combine(dir, DevPkiLayout.FacilityKey(DevPkiGenerator.RsaFacility.Code))));
        Assert.True(File.Exists(notes)); // only facility certificate and key files are removed
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir, DevPkiLayout.FacilityCaCertificate)));
        var remaining = Directory.GetFiles(Path.Combine(dir, DevPkiLayout.FacilitiesFolder), "*.crt.pem");
        Assert.Equal(DevPkiGenerator.SampleFacilities.Count, remaining.Length);
        foreach (var file in remaining)
        {
            using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(file));
            Assert.Equal(ca.Subject, cert.Issuer);
            var caKey = ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier;
            var issuedBy = cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value;
            Assert.Equal(caKey, Convert.ToHexString(issuedBy.Span));
        }
    }

    [Fact]
    public void A_subject_with_two_facility_codes_yields_none()
    {
        var b = new X500DistinguishedNameBuilder();
        b.Add(FacilityIdentity.FacilityCodeOid, "HN001", System.Formats.Asn1.UniversalTagNumber.PrintableString);
        b.Add(FacilityIdentity.FacilityCodeOid, "HN002", System.Formats.Asn1.UniversalTagNumber.PrintableString);
        b.AddCommonName("two codes");
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var cert = new System.Security.Cryptography.X509Certificates.CertificateRequest(b.Build(), key,
            System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Null(FacilityIdentity.FacilityCodeOf(cert));
    }

    private static BcCertificate ReadBc(string dir, string name)
    {
        using var reader = new StreamReader(Path.Combine(dir, name));
        return (BcCertificate)new PemReader(reader).ReadObject();
    }
}
