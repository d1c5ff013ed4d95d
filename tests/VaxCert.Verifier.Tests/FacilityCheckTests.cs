using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Testing;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Tests;

/// <summary>
/// The facility level inside the Verifier SDK (<see cref="FacilityCoSignatureCheck"/>), with QRs issued from the committed
/// dev keys: facility HN001 co-signs, the ES256 DSC issues. Each test names the level the answer says failed.
/// </summary>
public sealed class FacilityCheckTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string Keys = RepoPaths.KeysDev;
    private readonly SoftwareCoseSigner _hn001 = FacilitySigner("HN001");
    private readonly SoftwareCoseSigner _dsc = SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.DscEs256Certificate),
        Path.Combine(Keys, DevPkiLayout.DscEs256Key));

    public void Dispose()
    {
        _hn001.Dispose();
        _dsc.Dispose();
    }

    private static SoftwareCoseSigner FacilitySigner(string code) => SoftwareCoseSigner.FromPemFiles(
        Path.Combine(Keys, DevPkiLayout.FacilityCertificate(code)), Path.Combine(Keys, DevPkiLayout.FacilityKey(code)));

    private static VaccinationRecord Record(string facility = "HN001") => SampleRecords.Create(new Random(11), facility);

    private static FacilityAttestation CoSign(ICoseSigner facility, VaccinationRecord record) =>
        FacilityAttestation.Create(facility, DccMapper.EncodeDcc(record, IssuerSettings.Default)!, record.Nationality);

    private Hc1Issuer Ministry() => Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now));

    // The ministry's own gate is bypassed on purpose in some tests (Hc1Issuer directly) so the verifier meets attestations
    // the ministry would have refused: a verifier must not rely on the issuer having checked.
    private string Issue(VaccinationRecord record, FacilityAttestation? attestation)
    {
        // Null must stay null: a null byte[] would convert to an empty (present) claim.
        var result = attestation is null ? Ministry().Issue(record) : Ministry().Issue(record, attestation.EncodeClaim());
        Assert.True(result.Succeeded, result.ToString());
        return result.Certificate!.Hc1;
    }

    private CertificateVerifier Verifier(FacilityTrust trust, bool require = false, IFullAttestationStore? store = null) =>
        new(TrustList.Create([TestPki.PublicOnly(_dsc.Certificate)], Now),
            new VerifierOptions
            {
                Time = new FixedTime(Now),
                AdditionalChecks = [new FacilityCoSignatureCheck(new FacilityAttestationVerifier(trust, store), require)],
            });

    private static FacilityTrust DevTrust() => FacilityTrust.LoadDirectory(Keys);

    private static void AssertFacilityFails(VerificationResult result, ReasonCode reason)
    {
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(ChainLevel.Facility, result.FailedLevel());
        Assert.True(result[VerificationStage.Signature].Passed, "the ministry level must have passed");
        Assert.True(result[VerificationStage.Additional].Failed);
    }

    [Fact]
    public void A_co_signed_certificate_is_valid_at_both_levels()
    {
        var record = Record();
        var result = Verifier(DevTrust(), require: true).Verify(Issue(record, CoSign(_hn001, record)));
        Assert.Equal(VerificationOutcome.Valid, result.Outcome);
        Assert.Equal(ChainLevel.None, result.FailedLevel());
        Assert.True(result[VerificationStage.Additional].Passed);
    }

    [Fact]
    public void A_facility_certificate_the_verifier_does_not_know_is_FacilityUnknown()
    {
        var record = Record();
        var hc1 = Issue(record, CoSign(_hn001, record));
        var withoutHn001 = new FacilityTrust([X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Keys, DevPkiLayout.FacilityCaCertificate))],
            [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Keys, DevPkiLayout.FacilityCertificate("HCM01")))]);
        AssertFacilityFails(Verifier(withoutHn001).Verify(hc1), ReasonCode.FacilityUnknown);
    }

    [Fact]
    public void A_facility_certificate_from_another_CA_is_FacilityUnknown()
    {
        // A look-alike HN001 certificate (right facility code) under a CA the verifier does not trust.
        var rogueCert = RogueFacilityCertificate();
        using var rogueSigner = SoftwareCoseSigner.FromCertificate(rogueCert);
        var record = Record();
        var hc1 = Issue(record, CoSign(rogueSigner, record));
        var trust = new FacilityTrust([X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Keys, DevPkiLayout.FacilityCaCertificate))],
            [TestPki.PublicOnly(rogueCert)]);
        AssertFacilityFails(Verifier(trust).Verify(hc1), ReasonCode.FacilityUnknown);
    }

    private static X509Certificate2 RogueFacilityCertificate()
    {
        using var caKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Rogue facility CA, C=VN", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        using var ca = caRequest.CreateSelfSigned(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("C=VN, O=Rogue, SERIALNUMBER=HN001, CN=Rogue HN001", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var issued = request.Create(ca, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), [1, 2, 3]);
        return issued.CopyWithPrivateKey(key);
    }

    [Fact]
    public void A_revoked_facility_certificate_is_an_invalid_co_signature()
    {
        var record = Record();
        var hc1 = Issue(record, CoSign(_hn001, record));
        var revoked = DevTrust().WithRevoked(_hn001.Certificate.SerialNumber);
        AssertFacilityFails(Verifier(revoked).Verify(hc1), ReasonCode.FacilityCoSignatureInvalid);
    }

    [Fact]
    public void A_co_signature_of_another_facility_than_the_UVCI_names_is_invalid()
    {
        // HCM01's genuine key signs a record whose UVCI says HN001.
        using var hcm01 = FacilitySigner("HCM01");
        var record = Record("HN001");
        var hc1 = Issue(record, CoSign(hcm01, record));
        AssertFacilityFails(Verifier(DevTrust()).Verify(hc1), ReasonCode.FacilityCoSignatureInvalid);
        var check = new FacilityCoSignatureCheck(new FacilityAttestationVerifier(DevTrust()));
        Assert.Equal(FacilityCheck.FacilityCodeMismatch, check.Inspect(Core.Decoding.Hc1Decoder.Decode(hc1).Claims!, Now));
    }

    [Fact]
    public void A_co_signature_over_another_record_is_invalid()
    {
        var signed = Record();
        var shown = signed with { DoseNumber = signed.DoseNumber == 1 ? 2 : 1 };
        var hc1 = Issue(shown, CoSign(_hn001, signed));
        AssertFacilityFails(Verifier(DevTrust()).Verify(hc1), ReasonCode.FacilityCoSignatureInvalid);
    }

    [Fact]
    public void A_digest_form_needs_the_full_attestation_store()
    {
        var record = Record();
        var full = CoSign(_hn001, record);
        var hc1 = Issue(record, full.ToDigestForm());
        AssertFacilityFails(Verifier(DevTrust()).Verify(hc1), ReasonCode.FacilityCoSignatureInvalid);
        var store = new InMemoryAttestationStore();
        store.Add(record.CertificateId, full);
        Assert.Equal(VerificationOutcome.Valid, Verifier(DevTrust(), store: store).Verify(hc1).Outcome);
    }

    [Fact]
    public void Without_co_signature_the_check_passes_unless_it_is_required()
    {
        var hc1 = Issue(Record(), attestation: null);
        var lenient = Verifier(DevTrust()).Verify(hc1);
        Assert.Equal(VerificationOutcome.Valid, lenient.Outcome);
        Assert.True(lenient[VerificationStage.Additional].Passed);
        AssertFacilityFails(Verifier(DevTrust(), require: true).Verify(hc1), ReasonCode.FacilityCoSignatureInvalid);
    }

    [Fact]
    public void A_ministry_failure_is_reported_at_the_ministry_level_and_the_facility_is_not_consulted()
    {
        var record = Record();
        var hc1 = Issue(record, CoSign(_hn001, record));
        var strangerDsc = new CertificateVerifier(TrustList.Create([TestPki.CreateSigner(CoseAlgorithm.ES256, "Other DSC")], Now),
            new VerifierOptions
            {
                Time = new FixedTime(Now),
                AdditionalChecks = [new FacilityCoSignatureCheck(new FacilityAttestationVerifier(DevTrust()), true)],
            }).Verify(hc1);
        Assert.Equal(ReasonCode.KidUnknown, strangerDsc.Reason);
        Assert.Equal(ChainLevel.Ministry, strangerDsc.FailedLevel());
        Assert.Equal(StageStatus.NotRun, strangerDsc[VerificationStage.Additional].Status);
    }

    [Theory]
    [InlineData(FacilityCheck.Valid, false, ReasonCode.None)]
    [InlineData(FacilityCheck.Missing, false, ReasonCode.None)]
    [InlineData(FacilityCheck.Missing, true, ReasonCode.FacilityCoSignatureInvalid)]
    [InlineData(FacilityCheck.UnknownFacilityCertificate, false, ReasonCode.FacilityUnknown)]
    [InlineData(FacilityCheck.CertificateFromAnotherCa, false, ReasonCode.FacilityUnknown)]
    [InlineData(FacilityCheck.FacilityCertificateExpired, false, ReasonCode.FacilityCoSignatureInvalid)]
    [InlineData(FacilityCheck.Malformed, false, ReasonCode.FacilityCoSignatureInvalid)]
    [InlineData(FacilityCheck.FullAttestationUnavailable, false, ReasonCode.FacilityCoSignatureInvalid)]
    public void Every_facility_verdict_maps_to_the_documented_reason(FacilityCheck check, bool require, ReasonCode expected) =>
        Assert.Equal(expected, new FacilityCoSignatureCheck(new FacilityAttestationVerifier(DevTrust()), require).ToReason(check));

    [Fact]
    public void Every_failing_facility_verdict_is_a_failure_whatever_the_setting()
    {
        foreach (var check in Enum.GetValues<FacilityCheck>().Where(c => c is not (FacilityCheck.Valid or FacilityCheck.Missing)))
        foreach (var require in new[] { false, true })
            Assert.NotEqual(ReasonCode.None, new FacilityCoSignatureCheck(new FacilityAttestationVerifier(DevTrust()), require).ToReason(check));
    }
}
