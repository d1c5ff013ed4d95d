using System.Formats.Cbor;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VaxCert.Core.Bundle;
using VaxCert.Core.Dcc;
using VaxCert.Core.Encoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Bundle;
using VaxCert.Issuing.Pki;
using VaxCert.Testing;
using VaxCert.Verifier.Bundle;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Verifier.Tests.Bundle;

/// <summary>Trust bundles built and signed with the dev bundle signer (keys-dev), the dev CSCA pinned as the anchor.</summary>
internal static class Bundles
{
    public static readonly SoftwareCoseSigner DevSigner = SoftwareCoseSigner.FromPemFiles(
        Path.Combine(RepoPaths.KeysDev, DevPkiLayout.BundleSignerCertificate), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.BundleSignerKey));

    public static readonly X509Certificate2 Anchor = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.CscaCertificate));

    public static readonly DateTimeOffset IssuedAt = Clock.Now.AddHours(-2);

    public static TrustBundleLoadOptions Options(DateTimeOffset? now = null) => new() { Time = new FixedTime(now ?? Clock.Now) };

    /// <summary>A full bundle trusting the Es256 test DSC; revokes <paramref name="revokedUcis"/> by UCI hash.</summary>
    public static TrustBundleContent Content(long sequence = 1, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null,
        IEnumerable<string>? revokedUcis = null, IEnumerable<byte[]>? valueSets = null)
    {
        var iat = issuedAt ?? IssuedAt;
        var revocations = new BundleRevocations();
        foreach (var uci in revokedUcis ?? [])
            revocations.Add(TestSigners.Es256.KeyId.Span, TrustBundleFormat.HashUci, RevocationHashes.Uci(uci), Clock.Now.AddYears(1));
        return new TrustBundleContent
        {
            Sequence = sequence,
            IssuedAt = iat,
            ExpiresAt = iat + (lifetime ?? TimeSpan.FromHours(48)),
            Signers = [new BundleSigner(TestSigners.Es256.Certificate.RawData, "VN")],
            Revocations = revocations.Build(),
            ValueSets = valueSets?.ToList() ?? [],
        };
    }

    public static byte[] Sign(TrustBundleContent content, ICoseSigner? signer = null) => TrustBundleBuilder.Sign(content, signer ?? DevSigner);

    public static TrustBundleLoadResult Load(byte[] bytes, DateTimeOffset? now = null) => TrustBundleLoader.Load(bytes, [Anchor], Options(now));

    public static TrustBundle Loaded(TrustBundleContent content)
    {
        var result = Load(Sign(content));
        Assert.True(result.Succeeded, result.ToString());
        return result.Bundle;
    }
}

public sealed class TrustBundleTests
{
    private const string RevokedUci = "URN:UVCI:01:VN:HN/REVOKED#1";
    private static Hc1Builder Es => new() { Signer = TestSigners.Es256 };

    private static string Qr(string uci) => (Es with { Dcc = SampleDcc.Vaccination(ci: uci) }).Build();

    private static VerificationResult VerifyWith(TrustBundle bundle, string qr, DateTimeOffset? now = null)
        => bundle.CreateVerifier(new VerifierOptions { Time = new FixedTime(now ?? Clock.Now) }).Verify(qr);

    [Fact]
    public void A_signed_bundle_loads_and_its_verifier_answers_valid_and_revoked_offline()
    {
        var bundle = Bundles.Loaded(Bundles.Content(revokedUcis: [RevokedUci]));
        Assert.Equal(1, bundle.Sequence);
        Assert.Single(bundle.TrustList.Signers);
        Assert.Equal(1, bundle.RevokedHashCount);
        Assert.Contains("Trust Bundle Signer", bundle.SignerSubject);

        var valid = VerifyWith(bundle, Qr("URN:UVCI:01:VN:HN/GOOD#1"));
        Assert.Equal((VerificationOutcome.Valid, ReasonCode.None), (valid.Outcome, valid.Reason));
        Assert.Equal(TimeSpan.FromHours(2), valid.TrustListAge);

        var revoked = VerifyWith(bundle, Qr(RevokedUci));
        Assert.Equal((VerificationOutcome.Invalid, ReasonCode.Revoked), (revoked.Outcome, revoked.Reason));
        Assert.Equal(7101, (int)revoked.Reason);
    }

    [Fact]
    public void Any_changed_byte_is_refused_with_a_typed_reason_and_never_throws()
    {
        var bytes = Bundles.Sign(Bundles.Content(revokedUcis: [RevokedUci]));
        var seen = new HashSet<BundleFailure>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 0x01;
            var result = Bundles.Load(changed);
            Assert.False(result.Succeeded, $"byte {i} changed and still accepted");
            Assert.True(Enum.IsDefined(result.Failure) && result.Failure != BundleFailure.None);
            seen.Add(result.Failure);
        }
        Assert.Contains(BundleFailure.BadSignature, seen); // a change in the signed payload or header
    }

    [Fact]
    public void A_bundle_from_a_foreign_anchor_is_refused_as_foreign_signer()
    {
        using var foreignRoot = CertificateFactory.CreateRootCa(new X500DistinguishedName("CN=Foreign Root, C=XX"), Clock.Now.AddYears(-1), Clock.Now.AddYears(5));
        using var foreign = SoftwareCoseSigner.FromCertificate(CertificateFactory.CreateSigner(foreignRoot, new X500DistinguishedName("CN=Foreign Bundle Signer, C=XX"),
            false, Clock.Now.AddYears(-1), Clock.Now.AddYears(1), CertificateFactory.EkuTrustBundleSigning));
        var result = Bundles.Load(Bundles.Sign(Bundles.Content(), foreign));
        Assert.Equal(BundleFailure.ForeignSigner, result.Failure);
        Assert.Null(result.Bundle);
        // The same bundle loads for an app that pins the foreign root: the anchor decides, nothing else.
        Assert.True(TrustBundleLoader.Load(Bundles.Sign(Bundles.Content(), foreign), [TestPki.PublicOnly(foreignRoot)], Bundles.Options()).Succeeded);
    }

    [Fact]
    public void A_document_signer_under_the_pinned_csca_may_not_sign_bundles()
    {
        using var dsc = SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate),
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key));
        Assert.Equal(BundleFailure.SignerNotAuthorized, Bundles.Load(Bundles.Sign(Bundles.Content(), dsc)).Failure);
    }

    [Fact]
    public void An_expired_bundle_is_refused_with_its_age_and_a_future_one_as_not_yet_valid()
    {
        var issued = Clock.Now.AddDays(-3);
        var result = Bundles.Load(Bundles.Sign(Bundles.Content(issuedAt: issued, lifetime: TimeSpan.FromDays(1))));
        Assert.Equal(BundleFailure.Expired, result.Failure);
        Assert.Equal(TimeSpan.FromDays(3), result.Age);
        Assert.Equal(issued, result.IssuedAt);
        Assert.Contains("Expired (8209), age 3d 0h 0m", result.ToString());

        var future = Bundles.Load(Bundles.Sign(Bundles.Content(issuedAt: Clock.Now.AddHours(1))));
        Assert.Equal(BundleFailure.NotYetValid, future.Failure);
    }

    [Fact]
    public void A_bundle_that_goes_stale_while_in_use_makes_answers_indeterminate_with_the_age()
    {
        var bundle = Bundles.Loaded(Bundles.Content(revokedUcis: [RevokedUci]));
        var later = bundle.ExpiresAt.AddHours(6);
        var stale = VerifyWith(bundle, Qr("URN:UVCI:01:VN:HN/GOOD#1"), later);
        Assert.Equal((VerificationOutcome.Indeterminate, ReasonCode.TrustListExpired), (stale.Outcome, stale.Reason));
        Assert.Equal(later - Bundles.IssuedAt, stale.TrustListAge);
        Assert.Equal(StageStatus.Failed, stale[VerificationStage.TrustList].Status);
        // A revoked certificate stays revoked: an old list cannot make it valid again.
        Assert.Equal(ReasonCode.Revoked, VerifyWith(bundle, Qr(RevokedUci), later).Reason);
    }

    [Fact]
    public void Unsigned_content_and_other_cose_messages_are_refused_with_their_own_reasons()
    {
        var content = Bundles.Content();
        Assert.Equal(BundleFailure.Unsigned, Bundles.Load(TrustBundleCodec.Encode(content)).Failure);

        var signed = Bundles.Sign(content);
        Assert.True(CoseSign1Message.TryDecode(signed, out var message, out _));
        var emptySignature = CoseSign1.Encode(message!.RawProtectedHeader.Span, message.Payload.Span, []);
        Assert.Equal(BundleFailure.Unsigned, Bundles.Load(emptySignature).Failure);

        // An hcert signed by a trusted DSC is a COSE_Sign1 too, but not a bundle.
        Assert.Equal(BundleFailure.NotABundle, Bundles.Load(Es.BuildCose()).Failure);
        Assert.Equal(BundleFailure.Malformed, Bundles.Load([]).Failure);
    }

    [Fact]
    public void A_delta_applies_to_its_base_only_and_an_older_bundle_never_replaces_a_newer_one()
    {
        var baseContent = Bundles.Content(sequence: 1);
        var bundle = Bundles.Loaded(baseContent);
        Assert.Equal(ReasonCode.None, VerifyWith(bundle, Qr(RevokedUci)).Reason);

        var next = Bundles.Content(sequence: 2, issuedAt: Bundles.IssuedAt.AddHours(1), revokedUcis: [RevokedUci]);
        var delta = TrustBundleBuilder.SignDelta(baseContent, next, Bundles.DevSigner);
        Assert.True(delta.Length < Bundles.Sign(next).Length);

        var updated = bundle.ApplyUpdate(delta);
        Assert.True(updated.Succeeded, updated.ToString());
        Assert.Equal(2, updated.Bundle.Sequence);
        Assert.Equal(next.ExpiresAt, updated.Bundle.ExpiresAt);
        Assert.Equal(ReasonCode.Revoked, VerifyWith(updated.Bundle, Qr(RevokedUci)).Reason);
        Assert.Equal(ReasonCode.None, VerifyWith(bundle, Qr(RevokedUci)).Reason); // the old bundle is unchanged

        Assert.Equal(BundleFailure.DeltaBaseMismatch, Bundles.Load(delta).Failure);             // no base
        Assert.Equal(BundleFailure.Rollback, updated.Bundle.ApplyUpdate(delta).Failure);         // already applied
        var third = Bundles.Content(sequence: 3, issuedAt: Bundles.IssuedAt.AddHours(1.5));
        var deltaOnTwo = TrustBundleBuilder.SignDelta(next, third, Bundles.DevSigner);
        Assert.Equal(BundleFailure.DeltaBaseMismatch, bundle.ApplyUpdate(deltaOnTwo).Failure);  // base 2, in use 1
        Assert.Equal(BundleFailure.Rollback, updated.Bundle.ApplyUpdate(Bundles.Sign(baseContent)).Failure);
        Assert.True(bundle.ApplyUpdate(Bundles.Sign(next)).Succeeded);                           // a newer full bundle
    }

    [Fact]
    public void A_delta_signed_by_a_foreign_key_is_refused()
    {
        using var stranger = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.ES256, "Stranger", ekus: [CertificateFactory.EkuTrustBundleSigning]));
        var baseContent = Bundles.Content(sequence: 1);
        var bundle = Bundles.Loaded(baseContent);
        var delta = TrustBundleBuilder.SignDelta(baseContent, Bundles.Content(sequence: 2, revokedUcis: [RevokedUci]), stranger);
        Assert.Equal(BundleFailure.ForeignSigner, bundle.ApplyUpdate(delta).Failure);
    }

    [Fact]
    public void Value_sets_from_the_bundle_replace_the_shipped_ones_with_vietnamese_names()
    {
        var json = """
            {"valueSetId":"vaccines-covid-19-names","valueSetDate":"2026-01-01","valueSetValues":{
              "EU/1/20/1528":{"display":"Comirnaty","lang":"en","active":true,"system":"https://ec.europa.eu/health/documents/community-register/html/","version":""},
              "VN-NANOCOVAX":{"display":"Nanocovax","displayVi":"Vắc xin Nanocovax","lang":"en","active":true,"system":"urn:vn:moh","version":""}}}
            """;
        var bundle = Bundles.Loaded(Bundles.Content(valueSets: [Encoding.UTF8.GetBytes(json)]));
        Assert.True(bundle.ValueSets.Contains(ValueSetIds.VaccineMedicinalProduct, "VN-NANOCOVAX"));
        Assert.False(ValueSets.Default.Contains(ValueSetIds.VaccineMedicinalProduct, "VN-NANOCOVAX"));
        Assert.Equal(new BilingualText("Vắc xin Nanocovax", "Nanocovax"), DisplayNames.Product("VN-NANOCOVAX", bundle.ValueSets));
        Assert.False(DisplayNames.Product("VN-NANOCOVAX").Known);

        // A product only the bundle knows passes the value-set stage of the bundle's verifier, not of the default one.
        var qr = (Es with { Dcc = SampleDcc.Vaccination(mp: "VN-NANOCOVAX") }).Build();
        Assert.True(VerifyWith(bundle, qr)[VerificationStage.ValueSets].Passed);
        Assert.Equal(ReasonCode.ValueSetViolation, TestSigners.Verifier().Verify(qr).Reason);

        var broken = Bundles.Load(Bundles.Sign(Bundles.Content(valueSets: [Encoding.UTF8.GetBytes("{\"valueSetId\":3}")])));
        Assert.Equal(BundleFailure.InvalidContent, broken.Failure);
    }

    [Fact]
    public void A_revocation_hash_outside_its_declared_partition_is_refused_and_a_packed_one_loads()
    {
        var hash = RevocationHashes.Uci("URN:UVCI:01:VN:HN001/OUTSIDE");
        var kid = TestSigners.Es256.KeyId.ToArray();
        BundleRevocationList List(byte x, IReadOnlyList<byte[]> hashes) =>
            new(kid, TrustBundleFormat.HashUci, TrustBundleFormat.ModeVector, [new BundleRevocationPartition(x, null, Clock.Now.AddYears(1), hashes)]);

        var moved = Bundles.Load(Bundles.Sign(Bundles.Content() with { Revocations = [List((byte)(hash[0] ^ 1), [hash])] }));
        Assert.Equal(BundleFailure.InvalidContent, moved.Failure);

        // The same hash in its own partition, given packed as the codec keeps it, revokes that certificate.
        var loaded = Bundles.Loaded(Bundles.Content() with { Revocations = [List(hash[0], new PackedRevocationHashes(hash))] });
        Assert.Equal(1, loaded.RevokedHashCount);
        var entries = new RevocationEntries(kid, new byte[64], hash, null);
        Assert.True(loaded.Revocations.IsRevoked(entries, Clock.Now));
    }

    [Fact]
    public void Hostile_bytes_never_throw_and_never_load()
    {
        var valid = Bundles.Sign(Bundles.Content(revokedUcis: [RevokedUci]));
        var random = new Random(1301);
        var inputs = new List<byte[]>();
        for (var length = 0; length < valid.Length; length += 7) inputs.Add(valid[..length]);             // truncations
        for (var i = 0; i < 300; i++)
        {
            var junk = new byte[random.Next(0, 400)];
            random.NextBytes(junk);
            inputs.Add(junk);                                                                          // noise
            var spliced = (byte[])valid.Clone();
            for (var k = 0; k < 4; k++) spliced[random.Next(spliced.Length)] = (byte)random.Next(256);
            inputs.Add(spliced);                                                                       // several bytes
        }
        inputs.Add(Nested(10_000));                                                                    // deep nesting
        inputs.Add([.. valid, 0x00]);                                                                  // trailing byte
        foreach (var input in inputs)
        {
            var result = Bundles.Load(input);
            Assert.False(result.Succeeded);
            Assert.NotEqual(BundleFailure.None, result.Failure);
        }
    }

    [Fact]
    public void Content_round_trips_through_cbor_and_a_bundle_signed_twice_is_byte_identical_content()
    {
        var content = Bundles.Content(revokedUcis: [RevokedUci, "URN:UVCI:01:VN:HN/OTHER#2"]);
        var encoded = TrustBundleCodec.Encode(content);
        Assert.True(TrustBundleCodec.TryDecode(encoded, out var decoded, out var problem), problem);
        Assert.Equal(encoded, TrustBundleCodec.Encode(decoded!));
        Assert.Equal(2, decoded!.Revocations.Single().Partitions.Sum(p => p.Hashes.Count));
    }

    private static byte[] Nested(int depth)
    {
        var bytes = new byte[depth + 1];
        Array.Fill(bytes, (byte)0x81); // array(1) inside array(1)...
        bytes[^1] = 0x00;
        return bytes;
    }
}
