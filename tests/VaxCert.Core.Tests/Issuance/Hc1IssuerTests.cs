using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Fluent;

using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Validation;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Issuance;

public sealed class Hc1IssuerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);
    private readonly SoftwareCoseSigner _es256 = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256);
    private readonly SoftwareCoseSigner _ps256 = TestPki.CreateSoftwareSigner(CoseAlgorithm.PS256);

    public void Dispose()
    {
        _es256.Dispose();
        _ps256.Dispose();
    }

    internal static Hc1Issuer CreateIssuer(ICoseSigner signer, DateTimeOffset? now = null)
    {
        return Hc1Issuer.Create(signer, time: new FixedTimeProvider(now ?? Now));
    }

    [Fact]
    public void Any_valid_record_round_trips_through_HC1_and_verifies()
    {
        var issuer = CreateIssuer(_es256);
        var cert = TestPki.PublicOnly(_es256.Certificate);
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var record = SampleRecords.Create(seed);
            var result = issuer.Issue(record);
            Assert.True(result.Succeeded, result.Message);
            var decoded = Hc1Decoder.Decode(result.Certificate!.Hc1);
            Assert.True(decoded.Success, decoded.Failure.ToString());
            Assert.True(decoded.Message!.VerifySignature(cert));
            Assert.Equal(KeyIdentifier.For(cert), decoded.Message.KeyId);
            var back = DccMapper.TryReadRecord(decoded.Dcc!, decoded.Claims!.Nationality);
            Assert.Equal(record, back);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200).WithReplay(20251121UL, 7UL));
    }

    [Fact]
    public void PS256_certificates_round_trip_with_a_modulus_sized_signature()
    {
        var record = SampleRecords.Create(42);
        var result = CreateIssuer(_ps256).Issue(record);
        Assert.True(result.Succeeded, result.Message);
        var decoded = Hc1Decoder.Decode(result.Certificate!.Hc1);
        Assert.Equal((int)CoseAlgorithm.PS256, decoded.Message!.Algorithm);
        Assert.Equal(256, decoded.Message.Signature.Length);
        Assert.True(decoded.Message.VerifySignature(TestPki.PublicOnly(_ps256.Certificate)));
        Assert.Equal(record, DccMapper.TryReadRecord(decoded.Dcc!, decoded.Claims!.Nationality));
    }

    [Fact]
    public void Any_single_character_change_fails_unless_it_decodes_to_the_same_signed_bytes()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        var original = CreateIssuer(_es256).Issue(SampleRecords.Create(7)).Certificate!;
        var cert = TestPki.PublicOnly(_es256.Certificate);
        int rejected = 0, sameBytes = 0;
        var random = new Random(5772);
        for (var i = 0; i < 3000; i++)
        {
            var chars = original.Hc1.ToCharArray();
            var at = random.Next(chars.Length);
            var replacement = random.Next(3) == 0 ? (char)random.Next(0, 0x2FF) : alphabet[random.Next(alphabet.Length)];
            if (chars[at] == replacement) continue;
            chars[at] = replacement;
            var decoded = Hc1Decoder.Decode(new string(chars));
            var valid = decoded.Success && decoded.Message!.VerifySignature(cert);
            if (!valid) { rejected++; continue; }
            // Only a change the inflater cannot see (deflate padding bits) may survive, and then the signed bytes are
            // byte-for-byte those that were issued.
            Assert.Equal(original.Cose, decoded.Cose);
            sameBytes++;
        }
        Assert.True(rejected > 2900, $"rejected {rejected}, same-bytes {sameBytes}");
    }

    [Fact]
    public void Everything_written_is_core_deterministic_CBOR()
    {
        var cert = CreateIssuer(_es256).Issue(SampleRecords.Create(3)).Certificate!;
        Assert.True(CborDeterminism.IsCoreDeterministic(cert.DccCbor));
        Assert.True(CborDeterminism.IsCoreDeterministic(cert.CwtPayload));
        Assert.True(CborDeterminism.IsCoreDeterministic(cert.Cose));
        var decoded = Hc1Decoder.DecodeCose(cert.Cose);
        Assert.True(CborDeterminism.IsCoreDeterministic(decoded.Message!.RawProtectedHeader));
        Assert.Equal(0xD2, cert.Cose[0]); // tag 18
        Assert.Equal(0x78, cert.Compressed[0]);
        Assert.StartsWith("HC1:", cert.Hc1);
    }

    [Fact]
    public void Claims_carry_country_nationality_and_a_twelve_month_expiry()
    {
        var record = SampleRecords.Create(11) with { Nationality = "KR" };
        var cert = CreateIssuer(_es256).Issue(record).Certificate!;
        var claims = Hc1Decoder.Decode(cert.Hc1).Claims!;
        Assert.Equal("VN", claims.Issuer);
        Assert.Equal("KR", claims.Nationality);
        Assert.Equal(Now, claims.IssuedAt);
        Assert.Equal(Now.AddMonths(12), claims.ExpiresAt);
        Assert.Equal(claims.ExpiresAt, cert.ExpiresAt);
    }

    [Fact]
    public void Expiry_never_outlives_the_signer_certificate()
    {
        var notAfter = Now.AddMonths(3);
        using var signer = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256, notAfter: notAfter);
        var cert = CreateIssuer(signer).Issue(SampleRecords.Create(12)).Certificate!;
        Assert.Equal(notAfter, cert.ExpiresAt);
    }

    [Fact]
    public void Refuses_to_sign_with_an_expired_or_not_yet_valid_signer()
    {
        using var expired = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256, notAfter: Now.AddDays(-1));
        var r1 = CreateIssuer(expired).Issue(SampleRecords.Create(13));
        Assert.Equal(IssuanceFailure.SignerCertificateNotValid, r1.Failure);
        using var future = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256, notBefore: Now.AddDays(1));
        var r2 = CreateIssuer(future).Issue(SampleRecords.Create(13));
        Assert.Equal(IssuanceFailure.SignerCertificateNotValid, r2.Failure);
        Assert.Null(r2.Certificate);
    }

    [Fact]
    public void Invalid_records_are_refused_field_by_field_and_nothing_is_signed()
    {
        var counting = new CountingSigner(_es256);
        var record = SampleRecords.Create(14) with
        {
            DateOfVaccination = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(3),
            VaccineProduct = "NOT-A-VACCINE",
            DoseNumber = 0,
        };
        var result = CreateIssuer(counting).Issue(record);
        Assert.False(result.Succeeded);
        Assert.Equal(IssuanceFailure.InvalidRecord, result.Failure);
        Assert.Contains(result.Errors, e => e.Field == nameof(VaccinationRecord.DateOfVaccination) && e.Rule == ValidationRule.InFuture);
        Assert.Contains(result.Errors, e => e.Field == nameof(VaccinationRecord.VaccineProduct));
        Assert.Contains(result.Errors, e => e.Field == nameof(VaccinationRecord.DoseNumber) && e.Rule == ValidationRule.OutOfRange);
        Assert.Equal(0, counting.Calls);
    }

    [Fact]
    public void An_empty_attestation_means_none()
    {
        byte[]? none = null;
        var result = CreateIssuer(_es256).Issue(SampleRecords.Create(17), none);
        Assert.True(result.Succeeded, result.Message);
        Assert.Null(Hc1Decoder.Decode(result.Certificate!.Hc1).Claims!.FacilityAttestation);
    }

    [Fact]
    public void A_failing_signer_becomes_a_typed_refusal()
    {
        var failing = new FailingSigner(_es256);
        var result = CreateIssuer(failing).Issue(SampleRecords.Create(15));
        Assert.Equal(IssuanceFailure.SigningFailed, result.Failure);
        Assert.Equal(SigningFailure.Unavailable, result.SigningFailure);
    }

    [Fact]
    public void BouncyCastle_independently_verifies_ES256_and_PS256_signatures()
    {
        foreach (var signer in new ICoseSigner[] { _es256, _ps256 })
        {
            var cert = CreateIssuer(signer).Issue(SampleRecords.Create(16)).Certificate!;
            var message = Hc1Decoder.DecodeCose(cert.Cose).Message!;
            var bcCert = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(signer.Certificate.RawData);
            var verifier = signer.Algorithm == CoseAlgorithm.ES256
                ? Org.BouncyCastle.Security.SignerUtilities.GetSigner("SHA-256withPLAIN-ECDSA")
                : new Org.BouncyCastle.Crypto.Signers.PssSigner(new Org.BouncyCastle.Crypto.Engines.RsaBlindedEngine(),
                    new Org.BouncyCastle.Crypto.Digests.Sha256Digest(), 32);
            verifier.Init(false, bcCert.GetPublicKey());
            var tbs = message.ToBeSigned();
            verifier.BlockUpdate(tbs, 0, tbs.Length);
            Assert.True(verifier.VerifySignature(message.Signature.ToArray()), signer.Algorithm.ToString());
        }
    }

    private sealed class CountingSigner(ICoseSigner inner) : ICoseSigner
    {
        public int Calls;
        public CoseAlgorithm Algorithm => inner.Algorithm;
        public X509Certificate2 Certificate => inner.Certificate;
        public ReadOnlyMemory<byte> KeyId => inner.KeyId;
        public byte[] Sign(ReadOnlySpan<byte> data) { Calls++; return inner.Sign(data); }
        public void Dispose() { }
    }

    private sealed class FailingSigner(ICoseSigner inner) : ICoseSigner
    {
        public CoseAlgorithm Algorithm => inner.Algorithm;
        public X509Certificate2 Certificate => inner.Certificate;
        public ReadOnlyMemory<byte> KeyId => inner.KeyId;
        public byte[] Sign(ReadOnlySpan<byte> data) => throw new SigningException(SigningFailure.Unavailable, "token removed");
        public void Dispose() { }
    }
}
