using System.Text;
using Net.Pkcs11Interop.Common;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Tools;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>The process-wide, reference-counted library holder, and certificate export (issue 14), on real SoftHSM2.</summary>
public class SharedModuleTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Fact]
    public void Disposing_one_module_reference_does_not_finalise_the_library_for_the_others()
    {
        // Pkcs11Interop's Dispose calls C_Finalize for the whole process; a second instance per path would kill the first.
        var second = Pkcs11Module.Load(hsm.ModulePath);
        var generation = hsm.Module.Generation;
        second.Dispose();
        Assert.Contains(hsm.Module.GetTokens(), t => t.Label == hsm.TokenLabel);
        using var session = hsm.Module.OpenSession(hsm.Token.SlotId);
        Assert.Equal(CKS.CKS_RO_PUBLIC_SESSION, session.GetSessionInfo().State);
        Assert.Equal(generation, hsm.Module.Generation);
    }

    [Fact]
    public void Ensure_initialized_keeps_a_live_library_instance()
    {
        var generation = hsm.Module.Generation;
        hsm.Module.EnsureInitialized();
        Assert.Equal(generation, hsm.Module.Generation);
    }

    [Fact]
    public void Missing_module_file_is_reported_before_any_native_load()
        => Assert.Throws<FileNotFoundException>(() => Pkcs11Module.Load("/nonexistent/libpkcs11.so"));

    [Fact]
    public void Certificate_is_exported_by_label_or_id_without_a_pin_and_matches_the_provisioned_one()
    {
        var key = hsm.ProvisionEc("export-key", 0x61);
        using var byLabel = TokenCertificateExport.Read(hsm.Module, new TokenSelector(hsm.TokenLabel), new KeySelector("export-key"));
        using var byId = TokenCertificateExport.Read(hsm.Module, new TokenSelector(hsm.TokenLabel), new KeySelector(Id: [0x61]));
        Assert.Equal(key.Certificate.RawData, byLabel.RawData);
        Assert.Equal(key.Certificate.RawData, byId.RawData);
        var pem = TokenCertificateExport.ToPem(byLabel);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        using var reloaded = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Assert.Equal(key.Certificate.RawData, reloaded.RawData);
    }

    [Fact]
    public void Export_with_a_pin_finds_the_certificate_through_the_private_key_label()
    {
        // A key whose certificate carries another label: the label only matches the (private) key, visible after login.
        var pin = Encoding.UTF8.GetBytes(hsm.UserPin);
        using (var session = hsm.Module.OpenSession(hsm.Token.SlotId, readWrite: true))
        {
            session.LoginWith(CKU.CKU_USER, pin);
            using var pair = TokenKeyGenerator.Generate(session, TokenKeyType.EcP256, "export-private-label", [0x62]);
            using var cert = DevCertificateIssuer.Issue(pair.PublicKey, "CN=export via key label", issuer: null);
            CertificateImporter.Import(session, cert, "certificate-with-other-label", [0x62]);
        }
        var noPin = Assert.Throws<Pkcs11LookupException>(() =>
            TokenCertificateExport.Read(hsm.Module, new TokenSelector(hsm.TokenLabel), new KeySelector("export-private-label")));
        Assert.Equal(LookupFailure.CertificateNotFound, noPin.Failure);
        using var found = TokenCertificateExport.Read(hsm.Module, new TokenSelector(hsm.TokenLabel), new KeySelector("export-private-label"), pin);
        Assert.Equal("CN=export via key label", found.Subject);
    }

    [Fact]
    public void Export_of_an_unknown_key_or_token_is_a_typed_lookup_failure()
    {
        Assert.Equal(LookupFailure.CertificateNotFound, Assert.Throws<Pkcs11LookupException>(() =>
            TokenCertificateExport.Read(hsm.Module, new TokenSelector(hsm.TokenLabel), new KeySelector("no-such-key"))).Failure);
        Assert.Equal(LookupFailure.TokenNotFound, Assert.Throws<Pkcs11LookupException>(() =>
            TokenCertificateExport.Read(hsm.Module, new TokenSelector("no-such-token"), new KeySelector("export-key"))).Failure);
    }
}
