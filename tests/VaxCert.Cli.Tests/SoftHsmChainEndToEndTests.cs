using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Chain;
using VaxCert.Core.Pki;
using VaxCert.Issuing.Facility;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;
using VaxCert.Verifier;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Trust;

namespace VaxCert.Cli.Tests;

/// <summary>
/// Two real SoftHSM2 tokens, one per level: the facility's (EC key, certificate with serialNumber=HN001 issued by
/// keys-dev/facility-ca) and the ministry's (EC DSC issued by keys-dev/csca). Created once per test class; SOFTHSM2_CONF is
/// set by the <see cref="SoftHsm"/> fixture before libsofthsm2 is loaded in this process.
/// </summary>
public sealed class TwoTokens : IDisposable
{
    public const string FacilityKey = "facility-signing", MinistryKey = "dsc-signing";

    public TwoTokens()
    {
        Facility = new SoftHsm();
        Ministry = new SoftHsm();
        using var facilityCa = X509Certificate2.CreateFromPemFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaCertificate),
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaKey));
        using var csca = X509Certificate2.CreateFromPemFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.CscaCertificate),
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.CscaKey));
        FacilityCertificate = Provision(Facility, FacilityKey, FacilityIdentity.Subject("HN001", "Token test hospital", "VaxCert tests").Name, facilityCa);
        DscCertificate = Provision(Ministry, MinistryKey, "C=VN, O=Ministry of Health (tests), CN=VaxCert token DSC", csca);
    }

    public SoftHsm Facility { get; }
    public SoftHsm Ministry { get; }
    public X509Certificate2 FacilityCertificate { get; }
    public X509Certificate2 DscCertificate { get; }

    private static X509Certificate2 Provision(SoftHsm hsm, string label, string subject, X509Certificate2 issuer)
    {
        var pin = Encoding.UTF8.GetBytes(hsm.UserPin);
        try
        {
            var token = hsm.Module.FindToken(new VaxCert.Pkcs11.TokenSelector(hsm.TokenLabel));
            return DevKeyProvisioner.Provision(hsm.Module, token, pin, TokenKeyType.EcP256, label, [1], subject, issuer).Certificate;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    public void Dispose()
    {
        Facility.Dispose();
        Ministry.Dispose();
    }
}

/// <summary>
/// CSV → facility co-signature on the facility token (Pkcs11CoseSigner) → issuance on the ministry token → the Verifier SDK
/// validates both levels (and names the facility level when the facility is not trusted) → the independent EU peer
/// validates the ministry level. All through the CLI actions.
/// </summary>
public sealed class SoftHsmChainEndToEndTests(TwoTokens tokens) : IClassFixture<TwoTokens>
{
    private const int Rows = 40;

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    // A facility trust folder like keys-dev's, holding the dev facility CA and the token's facility certificate.
    private string TrustFolder(string dir, bool withTokenCertificate)
    {
        var trust = Path.Combine(dir, "facility-trust");
        Directory.CreateDirectory(Path.Combine(trust, DevPkiLayout.FacilitiesFolder));
        File.Copy(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCaCertificate), Path.Combine(trust, DevPkiLayout.FacilityCaCertificate));
        if (withTokenCertificate)
            File.WriteAllText(Path.Combine(trust, DevPkiLayout.FacilityCertificate("HN001")), tokens.FacilityCertificate.ExportCertificatePem());
        return trust;
    }

    private (string Dir, List<string> Hc1s) SignAndIssueOnTokens()
    {
        var dir = RepoPaths.NewTempDir("softhsm-chain");
        var csv = Path.Combine(dir, "export.csv");
        SyntheticExport.WriteCsv(csv, Rows);
        var bundle = Path.Combine(dir, "bundle.jsonl");
        var log = new StringWriter();
        Assert.Equal(FacilitySign.AllSigned, FacilitySign.Run(csv, bundle, bundle + ".rejections.csv", "HN001",
            () => Pkcs11CoseSigner.Open(tokens.Facility.SignerOptions(TwoTokens.FacilityKey)), Console(log)));
        Assert.Equal(Rows, File.ReadAllLines(bundle).Length);
        var tokenKid = Convert.ToBase64String(VaxCert.Core.Signing.KeyIdentifier.For(tokens.FacilityCertificate));
        Assert.All(File.ReadAllLines(bundle), l => Assert.Equal(tokenKid, JsonNode.Parse(l)!["attestation"]!["kid"]!.GetValue<string>()));

        var outDir = Path.Combine(dir, "issued");
        var issueLog = new StringWriter();
        Assert.True(IssueRun.AllIssued == IssueRun.Run(bundle, outDir, TrustFolder(dir, withTokenCertificate: true), false, false,
            () => Pkcs11CoseSigner.Open(tokens.Ministry.SignerOptions(TwoTokens.MinistryKey)), Console(issueLog)), issueLog.ToString());
        var hc1s = File.ReadAllLines(Path.Combine(outDir, "certificates.jsonl"))
            .Select(l => JsonNode.Parse(l)!["hc1"]!.GetValue<string>()).ToList();
        Assert.Equal(Rows, hc1s.Count);
        return (dir, hc1s);
    }

    [Fact]
    public void Rows_co_signed_on_the_facility_token_and_issued_on_the_ministry_token_verify_at_both_levels_and_with_the_EU_peer()
    {
        var (dir, hc1s) = SignAndIssueOnTokens();
        var csca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.CscaCertificate));
        var trustList = TrustList.Create([tokens.DscCertificate], DateTimeOffset.UtcNow, [csca]);
        var facilityTrust = FacilityTrust.LoadDirectory(TrustFolder(Path.Combine(dir, "verify"), withTokenCertificate: true));
        var verifier = new Verifier.CertificateVerifier(trustList, new VerifierOptions
        {
            AdditionalChecks = [new FacilityCoSignatureCheck(new FacilityAttestationVerifier(facilityTrust), requireCoSignature: true)],
        });
        var dscPem = tokens.DscCertificate.ExportCertificatePem();
        foreach (var hc1 in hc1s)
        {
            var result = verifier.Verify(hc1);
            Assert.True(result.IsValid, result.ToString());
            Assert.Equal(ChainLevel.None, result.FailedLevel());
            Assert.True(result[VerificationStage.Additional].Passed, "the facility level must have run and passed");
        }
        // The EU peer knows nothing of the facility claims and checks the ministry's token signature alone.
        foreach (var hc1 in hc1s.Take(5))
        {
            var peer = DccPeer.Verify(hc1, dscPem);
            Assert.True(peer.Valid, peer.Status);
        }
    }

    [Fact]
    public void Vaxcert_verify_with_facility_trust_names_the_facility_level_when_the_token_certificate_is_unknown()
    {
        var (dir, hc1s) = SignAndIssueOnTokens();
        var dscFile = Path.Combine(dir, "dsc.crt.pem");
        File.WriteAllText(dscFile, tokens.DscCertificate.ExportCertificatePem());

        var ok = new StringWriter();
        Assert.Equal(VerifyAction.Valid, VerifyAction.Run(new VerifyRequest(hc1s[0], null, dscFile, null, true, false, null,
            TrustFolder(Path.Combine(dir, "trusted"), withTokenCertificate: true), RequireCoSignature: true), Console(ok), TextReader.Null));
        var okJson = JsonNode.Parse(ok.ToString())!;
        Assert.Equal("None", okJson["failedLevel"]!.GetValue<string>());
        Assert.Equal("Valid", okJson["facility"]!.GetValue<string>());

        // keys-dev knows the facility CA but not this token's certificate: the ministry level passes, the facility fails.
        var unknown = new StringWriter();
        Assert.Equal(VerifyAction.Invalid, VerifyAction.Run(new VerifyRequest(hc1s[0], null, dscFile, null, true, false, null,
            RepoPaths.KeysDev), Console(unknown), TextReader.Null));
        var json = JsonNode.Parse(unknown.ToString())!;
        Assert.Equal((int)ReasonCode.FacilityUnknown, json["reason"]!.GetValue<int>());
        Assert.Equal("Facility", json["failedLevel"]!.GetValue<string>());
        Assert.Equal(nameof(FacilityCheck.UnknownFacilityCertificate), json["facility"]!.GetValue<string>());

        // Without --facility-trust the answer is the ministry level only, as before.
        var plain = new StringWriter();
        Assert.Equal(VerifyAction.Valid, VerifyAction.Run(new VerifyRequest(hc1s[0], null, dscFile, null, true, false, null), Console(plain), TextReader.Null));
    }
}
