using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Pki;
using VaxCert.Issuing.Qr;
using VaxCert.Testing;
using Xunit.Abstractions;

namespace VaxCert.Core.Tests.Chain;

/// <summary>The two-level chain with the committed dev keys: facility co-signs, ministry checks then issues.</summary>
public sealed class ChainIssuerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly SoftwareCoseSigner _hn001 = DevKeys.Facility("HN001");
    private readonly SoftwareCoseSigner _dsc = DevKeys.Dsc();

    public void Dispose()
    {
        _hn001.Dispose();
        _dsc.Dispose();
    }

    private static VaccinationRecord Record(string facility = "HN001", int seed = 7) => SampleRecords.Create(new Random(seed), facility);

    private ChainIssuer Issuer(FacilityTrust? trust = null, AttestationEmbedding embedding = AttestationEmbedding.Auto,
        IFullAttestationStore? store = null) =>
        new(Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now)), new FacilityAttestationVerifier(trust ?? DevKeys.Trust(), store),
            embedding, new FixedTimeProvider(Now));

    private static FacilityAttestation Sign(ICoseSigner facility, VaccinationRecord record) =>
        FacilityAttestation.Create(facility, DccMapper.EncodeDcc(record, IssuerSettings.Default)!, record.Nationality);

    private TwoLevelVerifier Verifier(IFullAttestationStore? store = null) =>
        new([TestPki.PublicOnly(_dsc.Certificate)], new FacilityAttestationVerifier(DevKeys.Trust(), store));

    [Fact]
    public void A_co_signed_record_is_issued_both_levels_verify_and_an_EU_verifier_accepts_it()
    {
        var record = Record();
        var result = Issuer().Issue(record, Sign(_hn001, record));
        Assert.True(result.Succeeded, result.Message);
        var hc1 = result.Certificate!.Hc1;

        Assert.Equal(new ChainVerification(ChainLevel.None, null, FacilityCheck.Valid), Verifier().Verify(hc1, Now));
        // An EU verifier knows nothing of -65537/-65538: the independent peer checks only the ministry's COSE signature.
        var peer = DccPeer.Verify(hc1, _dsc.Certificate.ExportCertificatePem());
        Assert.True(peer.Valid, peer.Status);
        Assert.Equal(record.CertificateId, peer.Dcc!["v"]![0]!["ci"]!.GetValue<string>());
    }

    [Fact]
    public void The_facility_signature_verifies_with_an_independent_ECDSA_implementation()
    {
        var record = Record();
        var attestation = Sign(_hn001, record);
        var tbs = FacilityAttestation.ToBeSigned(attestation.Algorithm, attestation.KeyId, DccMapper.EncodeDcc(record, IssuerSettings.Default)!, record.Nationality);
        var bcCert = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(_hn001.Certificate.RawData);
        var verifier = SignerUtilities.GetSigner("SHA-256withECDSA");
        verifier.Init(false, (ECPublicKeyParameters)bcCert.GetPublicKey());
        verifier.BlockUpdate(tbs, 0, tbs.Length);
        var der = new Org.BouncyCastle.Asn1.DerSequence(
            new Org.BouncyCastle.Asn1.DerInteger(new BigInteger(1, attestation.Value, 0, 32)),
            new Org.BouncyCastle.Asn1.DerInteger(new BigInteger(1, attestation.Value, 32, 32))).GetEncoded();
        Assert.True(verifier.VerifySignature(der));
        // The signed structure starts with the context string: a signature for anything else cannot be replayed here.
        Assert.Equal(0x85, tbs[0]);
        Assert.Contains("VaxCert-FacilityAttestation-v1", System.Text.Encoding.UTF8.GetString(tbs));
    }

    [Fact]
    public void A_record_changed_after_signing_is_refused()
    {
        var record = Record();
        var attestation = Sign(_hn001, record);
        foreach (var changed in new[]
                 {
                     record with { DoseNumber = record.DoseNumber == 1 ? 2 : 1 },
                     record with { GivenName = record.GivenName + " An" },
                     record with { Nationality = record.Nationality == "VN" ? "KR" : "VN" },
                 })
        {
            var result = Issuer().Issue(changed, attestation);
            Assert.Equal(FacilityCheck.RecordChangedAfterSigning, result.Facility);
            Assert.Null(result.Issuance);
        }
    }

    [Fact]
    public void A_facility_certificate_from_another_CA_is_refused()
    {
        using var foreignCa = CertificateFactory.CreateRootCa(new X500DistinguishedName("CN=Rogue CA, C=VN"), Now.AddYears(-1), Now.AddYears(5));
        using var rogue = CertificateFactory.CreateSigner(foreignCa, FacilityIdentity.Subject("HN001", "Rogue", "Rogue"), false, Now.AddYears(-1), Now.AddYears(1));
        using var signer = SoftwareCoseSigner.FromCertificate(rogue);
        var record = Record();
        var result = Issuer(DevKeys.Trust(rogue)).Issue(record, Sign(signer, record));
        Assert.Equal(FacilityCheck.CertificateFromAnotherCa, result.Facility);
    }

    [Fact]
    public void An_expired_facility_certificate_is_refused()
    {
        using var ca = DevKeys.FacilityCa();
        using var old = CertificateFactory.CreateSigner(ca, FacilityIdentity.Subject("HN001", "Old", "Old"), false,
            new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 12, 31, 0, 0, 0, TimeSpan.Zero));
        using var signer = SoftwareCoseSigner.FromCertificate(old);
        var record = Record();
        Assert.Equal(FacilityCheck.FacilityCertificateExpired, Issuer(DevKeys.Trust(old)).Issue(record, Sign(signer, record)).Facility);
    }

    [Fact]
    public void A_revoked_facility_certificate_is_refused_by_serial_or_by_kid()
    {
        var record = Record();
        var attestation = Sign(_hn001, record);
        Assert.Equal(FacilityCheck.FacilityCertificateRevoked,
            Issuer(DevKeys.Trust().WithRevoked(_hn001.Certificate.SerialNumber.ToLowerInvariant())).Issue(record, attestation).Facility);
        Assert.Equal(FacilityCheck.FacilityCertificateRevoked,
            Issuer(DevKeys.Trust().WithRevoked(Convert.ToBase64String(_hn001.KeyId.Span))).Issue(record, attestation).Facility);
        Assert.True(Issuer().Issue(record, attestation).Succeeded);
    }

    [Fact]
    public void A_facility_signing_another_facilitys_record_is_refused()
    {
        var record = Record(facility: "HCM01");
        Assert.Equal(FacilityCheck.FacilityCodeMismatch, Issuer().Issue(record, Sign(_hn001, record)).Facility);
    }

    [Fact]
    public void An_unknown_facility_certificate_is_refused()
    {
        using var ca = DevKeys.FacilityCa();
        using var unregistered = CertificateFactory.CreateSigner(ca, FacilityIdentity.Subject("HN001", "New", "New"), false, Now.AddDays(-1), Now.AddYears(1));
        using var signer = SoftwareCoseSigner.FromCertificate(unregistered);
        var record = Record();
        Assert.Equal(FacilityCheck.UnknownFacilityCertificate, Issuer().Issue(record, Sign(signer, record)).Facility);
    }

    [Fact]
    public void A_QR_whose_attestation_belongs_to_another_record_fails_at_the_facility_level()
    {
        var record = Record();
        var other = Record(seed: 8);
        var issued = Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now)).Issue(record, Sign(_hn001, other).EncodeClaim());
        Assert.True(issued.Succeeded, issued.Message);
        Assert.Equal(new ChainVerification(ChainLevel.Facility, null, FacilityCheck.RecordChangedAfterSigning), Verifier().Verify(issued.Certificate!.Hc1, Now));
        var bare = Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now)).Issue(record);
        Assert.Equal(FacilityCheck.Missing, Verifier().Verify(bare.Certificate!.Hc1, Now).Facility);
        var garbage = Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now)).Issue(record, new byte[] { 0x83, 0x01, 0x02, 0x03 });
        Assert.Equal(FacilityCheck.Malformed, Verifier().Verify(garbage.Certificate!.Hc1, Now).Facility);
        using var otherDsc = DevKeys.Dsc(CoseAlgorithm.PS256);
        Assert.Equal(ChainLevel.Ministry, new TwoLevelVerifier([otherDsc.Certificate], new FacilityAttestationVerifier(DevKeys.Trust()))
            .Verify(issued.Certificate!.Hc1, Now).FailedLevel);
    }

    [Fact]
    public void An_RSA_facility_rides_as_a_digest_and_verifies_through_the_attestation_store()
    {
        using var hp001 = DevKeys.Facility("HP001");
        var record = Record(facility: "HP001");
        var store = new InMemoryAttestationStore();
        var result = Issuer().Issue(record, Sign(hp001, record));
        Assert.True(result.Succeeded, result.Message);
        store.Add(record.CertificateId, result.FullAttestation!);
        var hc1 = result.Certificate!.Hc1;
        Assert.Equal(FacilityCheck.Valid, Verifier(store).Verify(hc1, Now).Facility);
        Assert.Equal(FacilityCheck.FullAttestationUnavailable, Verifier().Verify(hc1, Now).Facility);
        Assert.True(DccPeer.Verify(hc1, _dsc.Certificate.ExportCertificatePem()).Valid);
    }

    [Fact]
    public void QR_cost_of_the_co_signature_is_measured_per_form()
    {
        using var hp001 = DevKeys.Facility("HP001");
        var hn = Record();
        var hp = Record(facility: "HP001");
        var rows = new (string Name, string Hc1)[]
        {
            ("no co-signature", Hc1Issuer.Create(_dsc, time: new FixedTimeProvider(Now)).Issue(hn).Certificate!.Hc1),
            ("ES256 facility, full", Issuer().Issue(hn, Sign(_hn001, hn)).Certificate!.Hc1),
            ("RSA-2048 facility, full", Issuer(embedding: AttestationEmbedding.Full).Issue(hp, Sign(hp001, hp)).Certificate!.Hc1),
            ("RSA-2048 facility, digest", Issuer().Issue(hp, Sign(hp001, hp)).Certificate!.Hc1),
        };
        foreach (var (name, hc1) in rows)
            output.WriteLine($"| {name} | {hc1.Length} | {QrRenderer.VersionFor(hc1, QrErrorCorrection.Q)} |");
        // The digest form exists because the full RSA signature costs several QR versions; it must be cheaper than that.
        Assert.True(rows[3].Hc1.Length < rows[2].Hc1.Length - 300);
        Assert.True(QrRenderer.VersionFor(rows[3].Hc1) < QrRenderer.VersionFor(rows[2].Hc1));
    }
}
