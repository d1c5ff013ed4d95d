using VaxCert.Core.Pki;
using VaxCert.Issuing.Pki;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>Unsafe defaults refused at start-up: the public dev keys need --dev, a facility certificate is not a DSC, a busy port is one clear error.</summary>
public sealed class StartupSafetyTests
{
    private static ServerSettings WithoutDev()
    {
        var settings = ServerHost.Settings();
        settings.Dev = false;
        return settings;
    }

    [Fact]
    public async Task Without_dev_a_server_with_no_signer_configured_refuses_to_start()
    {
        var settings = WithoutDev();
        settings.FacilityTrust = RepoPaths.KeysDev;
        var e = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Contains("no signer configured", e.Message);
        Assert.Contains("--dev", e.Message);
    }

    [Fact]
    public async Task Without_dev_the_facility_trust_must_be_configured_and_with_both_configured_the_server_starts()
    {
        var settings = WithoutDev();
        settings.Signer = new SignerSettings
        {
            DscCert = Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate),
            DscKey = Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key),
        };
        var e = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Contains("facility trust", e.Message);

        settings.FacilityTrust = RepoPaths.KeysDev;
        await using var server = await ServerHost.StartAsync(settings);
        Assert.False(SignerFactory.UsesDevelopmentKey(settings));
    }

    [Theory]
    [InlineData("HN001")]
    [InlineData("HCM01")]
    public async Task A_facility_certificate_configured_as_the_ministry_signer_refuses_to_start(string facility)
    {
        var settings = ServerHost.Settings();
        settings.Signer = new SignerSettings
        {
            DscCert = Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate(facility)),
            DscKey = Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityKey(facility)),
        };
        var e = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Contains($"facility {facility}'s certificate, not a ministry document signer", e.Message);
    }

    [Fact]
    public void The_DSC_profile_check_refuses_CAs_and_facility_issued_certificates_and_accepts_the_dev_DSC()
    {
        using var dsc = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate));
        using var csca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.CscaCertificate));
        using var facilityCa = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaCertificate));
        using var facilityCaKey = System.Security.Cryptography.ECDsa.Create();
        facilityCaKey.ImportFromPem(File.ReadAllText(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaKey)));
        using var facilityCaWithKey = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.CopyWithPrivateKey(facilityCa, facilityCaKey);
        // A certificate with a DSC-like subject but issued by the facility CA: caught by its issuer, not by its name.
        using var lookalike = CertificateFactory.CreateSigner(facilityCaWithKey,
            new System.Security.Cryptography.X509Certificates.X500DistinguishedName("CN=Ministry DSC, O=Bo Y te, C=VN"), false,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), CertificateFactory.EkuVaccination);

        Assert.Null(SignerCertificateProfile.Problem(dsc, [facilityCa]));
        Assert.Contains("is a CA certificate", SignerCertificateProfile.Problem(csca, [facilityCa]));
        Assert.Contains("issued by the facility CA", SignerCertificateProfile.Problem(lookalike, [facilityCa]));
    }

    [Fact]
    public async Task A_port_already_in_use_is_one_clear_startup_error()
    {
        await using var first = await ServerHost.StartAsync(ServerHost.Settings());
        var settings = ServerHost.Settings();
        settings.Listen = $"127.0.0.1:{first.Address.Port}";
        var e = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Equal($"cannot listen on 127.0.0.1:{first.Address.Port}: the address is already in use (is another server running?)", e.Message);
    }
}
