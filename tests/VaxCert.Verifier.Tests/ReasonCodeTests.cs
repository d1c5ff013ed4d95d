using System.Formats.Cbor;
using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;
using VaxCert.Core.Encoding;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Verifier.Tests;

/// <summary>Every reason code has an input that produces it, with the outcome and failing stage it documents.</summary>
public sealed class ReasonCodeTests
{
    private static Hc1Builder Es => new() { Signer = TestSigners.Es256 };

    private static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }

    private sealed class FixedAnswer(ReasonCode answer) : IAdditionalCheck
    {
        public string Name => "fixed " + answer;
        public ReasonCode Check(AdditionalCheckContext context) => answer;
    }

    private sealed class Throwing : IAdditionalCheck
    {
        public string Name => "throws";
        public ReasonCode Check(AdditionalCheckContext context) => throw new InvalidOperationException("bug in a plug-in");
    }

    /// <summary>(code, stage that fails, input, verifier options).</summary>
    public static TheoryData<ReasonCode, VerificationStage, string, Func<VerifierOptions>> Cases()
    {
        var none = () => new VerifierOptions();
        var data = new TheoryData<ReasonCode, VerificationStage, string, Func<VerifierOptions>>
        {
            { ReasonCode.None, VerificationStage.Additional, Es.Build(), none },
            { ReasonCode.InputTooLong, VerificationStage.Input, "HC1:" + new string('0', 5000), none },
            { ReasonCode.PrefixMissing, VerificationStage.Prefix, "6BFOXN*TS0BI$ZD", none },
            { ReasonCode.PrefixUnsupported, VerificationStage.Prefix, "HC2:6BFOXN*TS0BI$ZD", none },
            { ReasonCode.Base45InvalidCharacter, VerificationStage.Base45, "HC1:6BF=XN", none },
            { ReasonCode.Base45InvalidGroup, VerificationStage.Base45, "HC1:::::", none },
            { ReasonCode.ZlibInvalid, VerificationStage.Decompression, ContextPrefix.Add(Base45.Encode(Es.BuildCose())), none },
            { ReasonCode.ZlibTooLarge, VerificationStage.Decompression, ContextPrefix.Add(Base45.Encode(Zlib.Compress(new byte[1 << 20]))), none },
            { ReasonCode.CoseInvalid, VerificationStage.Cose, Hc1Builder.Wrap(Cbor(w => w.WriteInt32(0))), none },
            { ReasonCode.CoseHeaderInvalid, VerificationStage.Cose, (Es with { RawProtected = Cbor(w => w.WriteInt32(1)) }).Build(), none },
            { ReasonCode.CoseCriticalHeaderUnsupported, VerificationStage.Cose, (Es with { RawProtected = Cbor(w =>
                {
                    w.WriteStartMap(4);
                    w.WriteInt32(1); w.WriteInt32(-7);
                    w.WriteInt32(4); w.WriteByteString(TestSigners.Es256.KeyId.Span);
                    w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(-70000); w.WriteEndArray();
                    w.WriteInt32(-70000); w.WriteBoolean(true);
                    w.WriteEndMap();
                }) }).Build(), none },
            { ReasonCode.CwtInvalid, VerificationStage.Payload, (Es with { RawPayload = Cbor(w => w.WriteInt32(7)) }).Build(), none },
            { ReasonCode.CwtClaimInvalid, VerificationStage.Payload, (Es with { IssuedAtAsText = true }).Build(), none },
            { ReasonCode.HcertMissing, VerificationStage.Payload, (Es with { RawPayload = Cbor(w => { w.WriteStartMap(1); w.WriteInt32(1); w.WriteTextString("VN"); w.WriteEndMap(); }) }).Build(), none },
            { ReasonCode.CborInvalid, VerificationStage.Payload, (Es with { RawDcc = Cbor(w => w.WriteSimpleValue(CborSimpleValue.Undefined)) }).Build(), none },
            { ReasonCode.CborTooDeep, VerificationStage.Payload, (Es with { RawDcc = Cbor(w => { for (var i = 0; i < 40; i++) w.WriteStartArray(1); w.WriteInt32(0); for (var i = 0; i < 40; i++) w.WriteEndArray(); }) }).Build(), none },
            { ReasonCode.DccInvalid, VerificationStage.Payload, (Es with { RawDcc = Cbor(w => { w.WriteStartArray(0); w.WriteEndArray(); }) }).Build(), none },
            { ReasonCode.AlgorithmUnsupported, VerificationStage.Signature, (Es with { Algorithm = -35 }).Build(), none },
            { ReasonCode.KidMissing, VerificationStage.Signature, (Es with { IncludeKid = false }).Build(), none },
            { ReasonCode.KidUnknown, VerificationStage.Signature, new Hc1Builder { Signer = TestSigners.Untrusted }.Build(), none },
            { ReasonCode.SignatureInvalid, VerificationStage.Signature, (Es with { TamperSignature = s => { s[10] ^= 1; return s; } }).Build(), none },
            { ReasonCode.KeyUsageMismatch, VerificationStage.KeyUsage, new Hc1Builder { Signer = TestSigners.TestOnly }.Build(), none },
            { ReasonCode.SignerNotValidAtIssuance, VerificationStage.SignerValidity, new Hc1Builder { Signer = TestSigners.Future }.Build(), none },
            { ReasonCode.CwtExpired, VerificationStage.Expiration, (Es with { ExpiresAt = Clock.Now.AddMinutes(-6) }).Build(), none },
            { ReasonCode.CwtNotYetValid, VerificationStage.Expiration, (Es with { IssuedAt = Clock.Now.AddMinutes(6) }).Build(), none },
            { ReasonCode.CwtTimeMissing, VerificationStage.Expiration, (Es with { ExpiresAt = null }).Build(), none },
            { ReasonCode.SchemaInvalid, VerificationStage.Schema, (Es with { Dcc = SampleDcc.Vaccination(dob: "12.04.1985") }).Build(), none },
            { ReasonCode.DccTypeAmbiguous, VerificationStage.Schema, (new Hc1Builder { Signer = TestSigners.AllTypes } with { Dcc = BothVaccinationAndRecovery() }).Build(), none },
            { ReasonCode.DccContentInvalid, VerificationStage.Content, (Es with { Dcc = ImpossibleVaccinationDate() }).Build(), none },
            { ReasonCode.ValueSetViolation, VerificationStage.ValueSets, (Es with { Dcc = SampleDcc.Vaccination(co: "XY") }).Build(), none },
            // CVnCoV is in the EU value sets but not approved in Viet Nam.
            { ReasonCode.PolicyViolation, VerificationStage.Policy, (Es with { Dcc = SampleDcc.Vaccination(mp: "CVnCoV", ma: "ORG-100032020") }).Build(),
                () => new VerifierOptions { Policy = new PolicyCheck(IssuancePolicy.Default) } },
            { ReasonCode.Revoked, VerificationStage.Revocation, Es.Build(), () => new VerifierOptions
                { Revocation = new RevocationList.Builder().Add(RevocationHashType.Uci, RevocationHashes.Uci("URN:UVCI:01:VN:HN/ABC123#X")).Build() } },
            { ReasonCode.TrustListTooOld, VerificationStage.TrustList, Es.Build(), () => new VerifierOptions { MaxTrustListAge = TimeSpan.FromHours(1) } },
            { ReasonCode.FacilityCoSignatureInvalid, VerificationStage.Additional, Es.Build(),
                () => new VerifierOptions { AdditionalChecks = [new FixedAnswer(ReasonCode.FacilityCoSignatureInvalid)] } },
            { ReasonCode.FacilityUnknown, VerificationStage.Additional, Es.Build(),
                () => new VerifierOptions { AdditionalChecks = [new FixedAnswer(ReasonCode.FacilityUnknown)] } },
            { ReasonCode.AdditionalCheckFailed, VerificationStage.Additional, Es.Build(),
                () => new VerifierOptions { AdditionalChecks = [new FixedAnswer(ReasonCode.None), new FixedAnswer(ReasonCode.AdditionalCheckFailed)] } },
        };
        return data;
    }

    private static JsonObject ImpossibleVaccinationDate()
    {
        var dcc = SampleDcc.Vaccination();
        dcc["v"]![0]!["dt"] = "2021-02-30";
        return dcc;
    }

    private static JsonObject BothVaccinationAndRecovery()
    {
        // Schema 1.2.1 has no oneOf over v/t/r, so the schema passes and the exactly-one rule must catch it.
        var dcc = SampleDcc.Vaccination();
        dcc["ver"] = "1.2.1";
        dcc["r"] = SampleDcc.Recovery()["r"]!.DeepClone();
        return dcc;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_produces_its_reason(ReasonCode expected, VerificationStage stage, string input, Func<VerifierOptions> options)
    {
        var trust = expected == ReasonCode.TrustListTooOld ? TestSigners.Trusted(Clock.Now.AddDays(-2)) : null;
        var result = TestSigners.Verifier(options(), trust).Verify(input);
        Assert.Equal(expected, result.Reason);
        Assert.Equal(expected.DefaultOutcome(), result.Outcome);
        if (expected == ReasonCode.None)
        {
            Assert.All(result.Stages.Where(s => s.Stage <= VerificationStage.ValueSets), s => Assert.True(s.Passed, s.ToString()));
        }
        else
        {
            Assert.Equal(StageStatus.Failed, result[stage].Status);
            Assert.Equal(expected, result[stage].Reason);
        }
    }

    [Fact]
    public void Signer_outside_its_csca_chain_is_refused()
    {
        // The anchors hold a VN CSCA that did not issue the (self-signed) DSC.
        using var csca = VaxCert.Testing.TestPki.CreateSigner(VaxCert.Core.Signing.CoseAlgorithm.ES256, "VN CSCA");
        var verifier = TestSigners.Verifier(trust: TestSigners.Trusted(csca: [TestSigners.PublicOf(VaxCert.Core.Signing.SoftwareCoseSigner.FromCertificate(csca))]));
        var result = verifier.Verify(Es.Build());
        Assert.Equal(ReasonCode.SignerChainInvalid, result.Reason);
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public void Trust_past_its_signed_expiry_gives_indeterminate_with_the_age()
    {
        var trust = TestSigners.Trusted(Clock.Now.AddDays(-3)).WithExpiry(Clock.Now.AddDays(-1));
        var result = TestSigners.Verifier(trust: trust).Verify(Es.Build());
        Assert.Equal((VerificationOutcome.Indeterminate, ReasonCode.TrustListExpired), (result.Outcome, result.Reason));
        Assert.Equal(ReasonCode.TrustListExpired, result[VerificationStage.TrustList].Reason);
        Assert.Equal(TimeSpan.FromDays(3), result.TrustListAge);
        // Within the clock skew it still decides.
        var justExpired = TestSigners.Verifier(trust: TestSigners.Trusted(Clock.Now.AddDays(-3)).WithExpiry(Clock.Now.AddMinutes(-1))).Verify(Es.Build());
        Assert.Equal(ReasonCode.None, justExpired.Reason);
    }

    [Fact]
    public void A_throwing_plug_in_gives_internal_error_never_valid()
    {
        var result = TestSigners.Verifier(new VerifierOptions { AdditionalChecks = [new Throwing()] }).Verify(Es.Build());
        Assert.Equal(VerificationOutcome.Indeterminate, result.Outcome);
        Assert.Equal(ReasonCode.InternalError, result.Reason);
    }

    [Fact]
    public void Every_reason_code_is_covered_and_documented()
    {
        var covered = Cases().Select(row => (ReasonCode)row[0]).ToHashSet();
        covered.Add(ReasonCode.SignerChainInvalid); // Signer_outside_its_csca_chain_is_refused
        covered.Add(ReasonCode.InternalError);      // A_throwing_plug_in_gives_internal_error_never_valid
        covered.Add(ReasonCode.TrustListExpired);   // Trust_past_its_signed_expiry_gives_indeterminate_with_the_age
        Assert.Equal(Enum.GetValues<ReasonCode>().Order(), covered.Order());
        var doc = File.ReadAllText(Path.Combine(VaxCert.Testing.RepoPaths.Root, "docs", "reason-codes.md"));
        foreach (var code in Enum.GetValues<ReasonCode>())
            Assert.Contains($"| {(int)code} | `{code}` |", doc);
    }
}
