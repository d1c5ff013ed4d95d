using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Verifier.Schema;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Tests;

/// <summary>
/// Regression tests for issue 12's verifier findings (items 4, 5, 6 and the crit part of 10) and the same class found
/// elsewhere in the decode path. Each failed before its fix.
/// </summary>
public sealed class SecurityRegressionTests
{
    private static Hc1Builder Es => new() { Signer = TestSigners.Es256 };

    private static VerificationResult Verify(Hc1Builder builder, VerifierOptions? options = null)
        => TestSigners.Verifier(options).Verify(builder.Build());

    private static JsonObject WithEntry(string key, JsonNode? value)
    {
        var dcc = SampleDcc.Vaccination();
        dcc["v"]![0]![key] = value;
        return dcc;
    }

    private static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }

    // ---- Item 4: keyless forgery answered Indeterminate; content stages must be linear-time ----

    [Fact]
    public void A_forgery_with_a_16000_digit_ver_is_Invalid_for_its_signature_not_Indeterminate()
    {
        var dcc = SampleDcc.Vaccination();
        dcc["ver"] = new string('1', 16_000) + "x"; // no match, so a backtracking regex tries O(n²) splits and times out
        var result = Verify(Es with { Dcc = dcc, TamperSignature = s => { s[3] ^= 0x40; return s; } });
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
        Assert.Equal(ReasonCode.SignatureInvalid, result.Reason);
    }

    [Fact]
    public void A_validly_signed_16000_digit_ver_fails_the_schema_instead_of_timing_out()
    {
        var dcc = SampleDcc.Vaccination();
        dcc["ver"] = new string('1', 8_000) + "." + new string('2', 7_990) + "x";
        var result = Verify(Es with { Dcc = dcc });
        Assert.Equal(ReasonCode.SchemaInvalid, result.Reason);
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public void Schema_patterns_compile_to_linear_time_regexes()
    {
        var regex = EcmaPattern.Compile(@"^\d+.\d+.\d+$");
        Assert.Equal(System.Text.RegularExpressions.RegexOptions.NonBacktracking, regex.Options & System.Text.RegularExpressions.RegexOptions.NonBacktracking);
        Assert.Matches(regex, new string('1', 16_000)); // "." is any character, so digits alone match
        Assert.DoesNotMatch(regex, new string('1', 16_000) + "x");
        Assert.Matches(regex, "1.3.3");
    }

    // ---- Item 5: ECMAScript semantics, exact numbers, strict UTF-8, no byte strings as text ----

    [Theory]
    [InlineData(@"^\d+.\d+.\d+$", "1.3.3\n", false)]
    [InlineData(@"^[A-Z<]*$", "PHAM\n", false)]
    [InlineData(@"^[A-Z<]*$", "PHAM", true)]
    [InlineData(@"^\d+.\d+.\d+$", "1\r3.3", false)]   // ECMAScript's . excludes every line terminator
    [InlineData(@"^\d+.\d+.\d+$", "1\u20283.3", false)]
    [InlineData(@"^\d+.\d+.\d+$", "١.٣.٣", false)]      // \d is ASCII only
    [InlineData(@"^\d+.\d+.\d+$", "1a3b3", true)]       // . is any other character, as in ECMAScript
    [InlineData("[A-Z]{1,10}", "xxABxx", true)]          // unanchored patterns search
    [InlineData(@"(19|20)\d{2}-\d{2}-\d{2}", "x1985-04-12y", true)]
    public void Patterns_have_ecmascript_semantics(string pattern, string text, bool matches)
        => Assert.Equal(matches, EcmaPattern.Compile(pattern).IsMatch(text));

    [Theory]
    [InlineData(@"\w+")]
    [InlineData(@"\s")]
    [InlineData(@"(?=a)")]
    [InlineData(@"(a)\1")]
    [InlineData(@"[\D]")]
    public void Pattern_constructs_whose_meaning_differs_are_refused_at_compile_time(string pattern)
        => Assert.Throws<ArgumentException>(() => EcmaPattern.Compile(pattern));

    [Theory]
    [InlineData("1.3.3\n")]
    [InlineData("1.3.3\r\n")]
    public void A_ver_with_a_trailing_newline_fails_the_schema(string ver)
    {
        var dcc = SampleDcc.Vaccination();
        dcc["ver"] = ver;
        Assert.Equal(ReasonCode.SchemaInvalid, Verify(Es with { Dcc = dcc }).Reason);
    }

    [Fact]
    public void A_transliterated_name_with_a_trailing_newline_fails_the_schema()
    {
        var dcc = SampleDcc.Vaccination();
        dcc["nam"]!["fnt"] = "PHAM\n";
        Assert.Equal(ReasonCode.SchemaInvalid, Verify(Es with { Dcc = dcc }).Reason);
    }

    [Theory]
    [InlineData(0.9999999999999999)]
    [InlineData(1.5)]
    [InlineData(2.0000000000000004)]
    public void A_fractional_dose_is_never_valid(double dose)
    {
        var result = Verify(Es with { Dcc = WithEntry("dn", JsonValue.Create(dose)) });
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
        Assert.Equal(ReasonCode.SchemaInvalid, result.Reason);
    }

    [Fact]
    public void An_integral_float_dose_is_an_integer_as_json_schema_says()
    {
        var result = Verify(Es with { Dcc = WithEntry("dn", JsonValue.Create(2.0)) });
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, result.Certificate.Record!.DoseNumber);
    }

    [Theory]
    [InlineData("{\"minimum\": 1}", "0.9999999999999999", false)]
    [InlineData("{\"minimum\": 1}", "1", true)]
    [InlineData("{\"maximum\": 9}", "9.000000000000002", false)]
    [InlineData("{\"maximum\": 9}", "1e400", false)]
    [InlineData("{\"minimum\": 0.1}", "0.1", true)]
    [InlineData("{\"minimum\": 0.1}", "0.09999999999999999999999999999", false)]
    [InlineData("{\"type\": \"integer\"}", "1.0", true)]
    [InlineData("{\"type\": \"integer\"}", "1.0000000000000000000000000001", false)]
    [InlineData("{\"type\": \"integer\"}", "1e2", true)]
    public void Schema_numbers_compare_exactly(string schema, string instance, bool valid)
        => Assert.Equal(valid, JsonSchema.Parse(schema).Validate(JsonNode.Parse(instance), out _));

    [Fact]
    public void A_double_just_below_one_is_below_a_minimum_of_one()
        => Assert.False(JsonSchema.Parse("{\"minimum\": 1}").Validate(JsonValue.Create(0.9999999999999999), out _));

    [Fact]
    public void Invalid_utf8_in_a_dcc_text_is_refused_not_replaced()
    {
        // fnt = "P" 0xC3 "(" : a broken two-byte sequence that Lax CBOR would have turned into U+FFFD.
        var dcc = Hc1Builder.JsonToCbor(SampleDcc.Vaccination());
        var raw = ReplaceText(dcc, "NGUYEN", [0x66, 0x50, 0xC3, 0x28, 0x41, 0x4D, 0x4D]);
        var result = Verify(Es with { RawDcc = raw });
        Assert.Equal(ReasonCode.CborInvalid, result.Reason);
        Assert.Equal(VerificationStage.Payload, result.Stages.First(s => s.Failed).Stage);
    }

    [Theory]
    [InlineData(1)]       // iss
    [InlineData(-65537)]  // VaxCert's nationality claim
    public void Invalid_utf8_in_a_cwt_text_claim_is_refused(int claim)
    {
        var payload = Cbor(w =>
        {
            w.WriteStartMap(null);
            w.WriteInt32(claim); w.WriteEncodedValue([0x62, 0xC3, 0x28]);
            w.WriteInt32(6); w.WriteInt64(Clock.Now.AddDays(-1).ToUnixTimeSeconds());
            w.WriteInt32(4); w.WriteInt64(Clock.Now.AddDays(1).ToUnixTimeSeconds());
            w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteEncodedValue(Hc1Builder.JsonToCbor(SampleDcc.Vaccination())); w.WriteEndMap();
            w.WriteEndMap();
        });
        Assert.Equal(ReasonCode.CwtClaimInvalid, Verify(Es with { RawPayload = payload }).Reason);
    }

    [Theory]
    [InlineData("ci")]
    [InlineData("co")]
    [InlineData("mp")]
    public void A_byte_string_where_text_is_required_is_refused_not_shown_as_base64(string field)
    {
        var raw = Cbor(w =>
        {
            var dcc = SampleDcc.Vaccination();
            var entry = (JsonObject)dcc["v"]![0]!;
            w.WriteStartMap(4);
            w.WriteTextString("ver"); w.WriteTextString("1.3.3");
            w.WriteTextString("nam"); w.WriteEncodedValue(Hc1Builder.JsonToCbor(dcc["nam"]));
            w.WriteTextString("dob"); w.WriteTextString("1985-04-12");
            w.WriteTextString("v"); w.WriteStartArray(1); w.WriteStartMap(entry.Count);
            foreach (var (k, v) in entry)
            {
                w.WriteTextString(k);
                if (k == field) w.WriteByteString(System.Text.Encoding.UTF8.GetBytes(v!.GetValue<string>()));
                else w.WriteEncodedValue(Hc1Builder.JsonToCbor(v));
            }
            w.WriteEndMap(); w.WriteEndArray();
            w.WriteEndMap();
        });
        var result = Verify(Es with { RawDcc = raw });
        Assert.Equal(ReasonCode.DccInvalid, result.Reason);
        Assert.Null(result.Certificate);
    }

    // ---- Item 6: Valid always carries its record ----

    [Theory]
    [InlineData("dt", "2021-02-30")]
    [InlineData("dt", "")]
    [InlineData("dt", "2021-13-01")]
    [InlineData("dt", "2021-02-14T25:00:00Z")]
    public void An_impossible_vaccination_date_is_never_valid(string key, string value)
    {
        var result = Verify(Es with { Dcc = WithEntry(key, value) });
        Assert.Equal(VerificationOutcome.Invalid, result.Outcome);
        Assert.Equal(ReasonCode.DccContentInvalid, result.Reason);
        Assert.True(result[VerificationStage.Content].Failed);
    }

    [Theory]
    [InlineData("1985-02-30")]
    [InlineData("1985-13")]
    public void An_impossible_birth_date_is_never_valid(string dob)
        => Assert.Equal(ReasonCode.DccContentInvalid, Verify(Es with { Dcc = SampleDcc.Vaccination(dob: dob) }).Reason);

    [Theory]
    [InlineData(9.223372036854775807E18)] // 2^63 as a float: schema 1.3.3 sets no maximum
    [InlineData(4294967296.0)]
    public void A_dose_beyond_the_record_range_is_never_valid(double dose)
    {
        var result = Verify(Es with { Dcc = WithEntry("sd", JsonValue.Create(dose)) });
        Assert.Equal(ReasonCode.DccContentInvalid, result.Reason);
    }

    [Fact]
    public void A_dose_of_2_pow_63_as_a_cbor_integer_is_refused()
    {
        var raw = Hc1Builder.JsonToCbor(WithEntry("dn", 7));
        var index = raw.AsSpan().IndexOf(new byte[] { 0x62, (byte)'d', (byte)'n', 0x07 }) + 3;
        var patched = raw[..index].Concat(new byte[] { 0x1B, 0x80, 0, 0, 0, 0, 0, 0, 0 }).Concat(raw[(index + 1)..]).ToArray();
        Assert.NotEqual(VerificationOutcome.Valid, Verify(Es with { RawDcc = patched }).Outcome);
    }

    [Fact]
    public void Content_is_checked_even_with_the_schema_switched_off()
    {
        var result = Verify(Es with { Dcc = WithEntry("dt", "2021-02-30") }, new VerifierOptions { CheckSchema = false });
        Assert.Equal(ReasonCode.DccContentInvalid, result.Reason);
    }

    [Theory]
    [InlineData("2021-09-14T00:00:00+07:00")]
    [InlineData("2020-02-29")]
    public void Real_dates_in_the_forms_issuers_send_stay_valid(string dt)
    {
        var result = Verify(Es with { Dcc = WithEntry("dt", dt) });
        Assert.True(result.IsValid, result.ToString());
        Assert.NotNull(result.Certificate.Record);
    }

    [Fact]
    public void Recovery_and_test_dates_are_checked_too()
    {
        var recovery = SampleDcc.Recovery();
        recovery["r"]![0]!["du"] = "2021-11-31";
        var result = TestSigners.Verifier().Verify(new Hc1Builder { Signer = TestSigners.AllTypes, Dcc = recovery }.Build());
        Assert.Equal(ReasonCode.DccContentInvalid, result.Reason);
        Assert.True(TestSigners.Verifier().Verify(new Hc1Builder { Signer = TestSigners.AllTypes, Dcc = SampleDcc.Recovery() }.Build()).IsValid);
    }

    [Fact]
    public void The_documented_integration_sample_works_for_every_valid_answer()
    {
        // The switch of docs/verifier.md, run as written there, over a vaccination, a recovery and a refused certificate.
        var doc = File.ReadAllText(Path.Combine(VaxCert.Testing.RepoPaths.Root, "docs", "verifier.md"));
        Assert.Contains("case VerificationOutcome.Valid when result.Certificate!.Record is { } record: Show(record, result.Signer!); break;", doc);
        Assert.Contains("case VerificationOutcome.Valid:         ShowDcc(result.Certificate!.DccJson, result.Signer!); break;", doc);
        var shown = new List<string>();
        void Show(VaxCert.Core.Model.VaccinationRecord record, SignerInfo signer) => shown.Add(record.FamilyName + "/" + signer.KeyId);
        void ShowDcc(string json, SignerInfo signer) => shown.Add(json.Length + "/" + signer.KeyId);
        void Refuse(int code, string text) => shown.Add("refused " + code + " " + text);
        foreach (var builder in new[] { Es, new Hc1Builder { Signer = TestSigners.AllTypes, Dcc = SampleDcc.Recovery() }, Es with { Dcc = WithEntry("dt", "2021-02-30") } })
        {
            var result = TestSigners.Verifier().Verify(builder.Build());
            switch (result.Outcome)
            {
                case VerificationOutcome.Valid when result.Certificate!.Record is { } record: Show(record, result.Signer!); break;
                case VerificationOutcome.Valid:         ShowDcc(result.Certificate!.DccJson, result.Signer!); break;
                case VerificationOutcome.Invalid:       Refuse((int)result.Reason, result.Reason.Describe()); break;
                case VerificationOutcome.Indeterminate: break;
            }
        }
        Assert.Equal(3, shown.Count);
        Assert.StartsWith("Nguyễn/", shown[0]);
        Assert.DoesNotContain("refused", shown[1]);
        Assert.StartsWith("refused 5103", shown[2]);
    }

    // ---- Item 10: crit (RFC 9052 §3.1) ----

    private static byte[] ProtectedHeader(Action<CborWriter> extra, int entries)
        => Cbor(w =>
        {
            w.WriteStartMap(2 + entries);
            w.WriteInt32(1); w.WriteInt32((int)CoseAlgorithm.ES256);
            w.WriteInt32(4); w.WriteByteString(TestSigners.Es256.KeyId.Span);
            extra(w);
            w.WriteEndMap();
        });

    [Fact]
    public void An_unknown_critical_header_is_refused_with_its_own_reason()
    {
        var header = ProtectedHeader(w =>
        {
            w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(99); w.WriteEndArray();
            w.WriteInt32(99); w.WriteTextString("must be understood");
        }, 2);
        var result = Verify(Es with { RawProtected = header });
        Assert.Equal(ReasonCode.CoseCriticalHeaderUnsupported, result.Reason);
        Assert.True(result[VerificationStage.Cose].Failed);
    }

    [Fact]
    public void An_unknown_text_label_in_crit_is_refused()
    {
        var header = ProtectedHeader(w =>
        {
            w.WriteInt32(2); w.WriteStartArray(1); w.WriteTextString("x-policy"); w.WriteEndArray();
            w.WriteTextString("x-policy"); w.WriteInt32(1);
        }, 2);
        Assert.Equal(ReasonCode.CoseCriticalHeaderUnsupported, Verify(Es with { RawProtected = header }).Reason);
    }

    [Fact]
    public void Crit_naming_parameters_the_verifier_processes_is_accepted()
    {
        var header = ProtectedHeader(w => { w.WriteInt32(2); w.WriteStartArray(2); w.WriteInt32(1); w.WriteInt32(4); w.WriteEndArray(); }, 1);
        Assert.True(Verify(Es with { RawProtected = header }).IsValid);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("not-an-array")]
    [InlineData("known-labels")]
    [InlineData("float-label")]
    public void A_malformed_crit_is_a_header_error(string how)
    {
        var header = ProtectedHeader(w =>
        {
            w.WriteInt32(2);
            switch (how)
            {
                case "empty": w.WriteStartArray(0); w.WriteEndArray(); break;
                case "not-an-array": w.WriteInt32(1); break;
                case "known-labels": w.WriteStartArray(2); w.WriteInt32(1); w.WriteInt32(4); w.WriteEndArray(); break;
                default: w.WriteStartArray(1); w.WriteDouble(1.0); w.WriteEndArray(); break;
            }
        }, 1);
        var expected = how == "known-labels" ? ReasonCode.None : ReasonCode.CoseHeaderInvalid;
        Assert.Equal(expected, Verify(Es with { RawProtected = header }).Reason);
    }

    [Fact]
    public void Crit_listing_a_label_missing_from_the_protected_bucket_is_a_header_error()
    {
        // kid is only in the unprotected bucket, so crit [4] names a parameter that is not protected.
        var header = Cbor(w =>
        {
            w.WriteStartMap(2);
            w.WriteInt32(1); w.WriteInt32((int)CoseAlgorithm.ES256);
            w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(4); w.WriteEndArray();
            w.WriteEndMap();
        });
        var payload = new Hc1Builder { Signer = TestSigners.Es256 }.BuildCwtForTests();
        var signature = TestSigners.Es256.Sign(CoseSign1.BuildToBeSigned(header, payload));
        var cose = Cbor(w =>
        {
            w.WriteTag((CborTag)18);
            w.WriteStartArray(4);
            w.WriteByteString(header);
            w.WriteStartMap(1); w.WriteInt32(4); w.WriteByteString(TestSigners.Es256.KeyId.Span); w.WriteEndMap();
            w.WriteByteString(payload);
            w.WriteByteString(signature);
            w.WriteEndArray();
        });
        Assert.Equal(ReasonCode.CoseHeaderInvalid, TestSigners.Verifier().Verify(Hc1Builder.Wrap(cose)).Reason);
    }

    [Fact]
    public void Crit_in_the_unprotected_bucket_is_a_header_error()
    {
        var cose = Cbor(w =>
        {
            var built = Es.BuildCose();
            var r = new CborReader(built);
            r.ReadTag(); r.ReadStartArray();
            var header = r.ReadByteString(); r.SkipValue();
            var payload = r.ReadByteString(); var signature = r.ReadByteString();
            w.WriteTag((CborTag)18);
            w.WriteStartArray(4);
            w.WriteByteString(header);
            w.WriteStartMap(1); w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(4); w.WriteEndArray(); w.WriteEndMap();
            w.WriteByteString(payload);
            w.WriteByteString(signature);
            w.WriteEndArray();
        });
        Assert.Equal(ReasonCode.CoseHeaderInvalid, TestSigners.Verifier().Verify(Hc1Builder.Wrap(cose)).Reason);
    }

    // ---- The same class elsewhere in the decode path ----

    [Fact]
    public void A_header_text_label_that_is_not_utf8_is_refused()
    {
        var header = ProtectedHeader(w => { w.WriteEncodedValue([0x62, 0xC3, 0x28]); w.WriteInt32(0); }, 1);
        Assert.Equal(ReasonCode.CoseHeaderInvalid, Verify(Es with { RawProtected = header }).Reason);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("infinity")]
    [InlineData("1e300")]
    [InlineData("uint64-max")]
    [InlineData("below-year-1")]
    public void An_iat_that_is_no_instant_is_a_claim_error(string how)
    {
        var payload = Cbor(w =>
        {
            w.WriteStartMap(null);
            w.WriteInt32(1); w.WriteTextString("VN");
            w.WriteInt32(6);
            switch (how)
            {
                case "nan": w.WriteDouble(double.NaN); break;
                case "infinity": w.WriteDouble(double.PositiveInfinity); break;
                case "1e300": w.WriteDouble(1e300); break;
                case "uint64-max": w.WriteUInt64(ulong.MaxValue); break;
                default: w.WriteInt64(-62135596801); break;
            }
            w.WriteInt32(4); w.WriteInt64(Clock.Now.AddDays(1).ToUnixTimeSeconds());
            w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteEncodedValue(Hc1Builder.JsonToCbor(SampleDcc.Vaccination())); w.WriteEndMap();
            w.WriteEndMap();
        });
        Assert.Equal(ReasonCode.CwtClaimInvalid, Verify(Es with { RawPayload = payload }).Reason);
    }

    [Fact]
    public void A_float_iat_within_range_still_works()
    {
        var payload = Cbor(w =>
        {
            w.WriteStartMap(null);
            w.WriteInt32(1); w.WriteTextString("VN");
            w.WriteInt32(6); w.WriteDouble(Clock.Now.AddDays(-1).ToUnixTimeSeconds() + 0.5);
            w.WriteInt32(4); w.WriteInt64(Clock.Now.AddDays(1).ToUnixTimeSeconds());
            w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteEncodedValue(Hc1Builder.JsonToCbor(SampleDcc.Vaccination())); w.WriteEndMap();
            w.WriteEndMap();
        });
        Assert.True(Verify(Es with { RawPayload = payload }).IsValid);
    }

    [Fact]
    public void A_kid_of_the_wrong_type_is_a_header_error()
    {
        var header = Cbor(w =>
        {
            w.WriteStartMap(2);
            w.WriteInt32(1); w.WriteInt32((int)CoseAlgorithm.ES256);
            w.WriteInt32(4); w.WriteTextString(Convert.ToBase64String(TestSigners.Es256.KeyId.Span));
            w.WriteEndMap();
        });
        Assert.Equal(ReasonCode.CoseHeaderInvalid, Verify(Es with { RawProtected = header }).Reason);
    }

    [Fact]
    public void Duplicate_keys_in_the_dcc_are_refused()
    {
        var raw = Cbor(w =>
        {
            w.WriteStartMap(5);
            foreach (var (k, v) in SampleDcc.Vaccination()) { w.WriteTextString(k); w.WriteEncodedValue(Hc1Builder.JsonToCbor(v)); }
            w.WriteTextString("dob"); w.WriteTextString("1990-01-01");
            w.WriteEndMap();
        });
        Assert.Equal(ReasonCode.CborInvalid, Verify(Es with { RawDcc = raw }).Reason);
    }

    // ---- One signature helper with the profile checks ----

    [Fact]
    public void An_es256_signature_by_a_256_bit_key_not_on_p256_does_not_verify()
    {
        // brainpoolP256r1 is a 256-bit curve, but ES256 means P-256 (RFC 9053): a KeySize check alone accepted it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var request = new CertificateRequest("CN=Brainpool DSC, C=VN", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(Clock.Now.AddYears(-1), Clock.Now.AddYears(1));
        var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var kid = KeyIdentifier.For(publicOnly.RawData);
        var header = Cbor(w => { w.WriteStartMap(2); w.WriteInt32(1); w.WriteInt32(-7); w.WriteInt32(4); w.WriteByteString(kid); w.WriteEndMap(); });
        var payload = Es.BuildCwtForTests();
        var tbs = CoseSign1.BuildToBeSigned(header, payload);
        var signature = key.SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var hc1 = Hc1Builder.Wrap(CoseSign1.Encode(header, payload, signature));
        var verifier = new CertificateVerifier(TrustList.Create([publicOnly], Clock.Now), new VerifierOptions { Time = Clock.Fixed });
        Assert.Equal(ReasonCode.SignatureInvalid, verifier.Verify(hc1).Reason);
        Assert.Contains(verifier.TrustList.Problems, p => p.Contains("P-256", StringComparison.Ordinal));
        Assert.False(Core.Decoding.Hc1Decoder.Decode(hc1).Message!.VerifySignature(publicOnly));
    }

    [Fact]
    public void The_helper_enforces_the_profile_for_every_caller()
    {
        using var ps = TestSigners.PublicOf(TestSigners.Ps256);
        using var es = TestSigners.PublicOf(TestSigners.Es256);
        var data = "probe"u8.ToArray();
        var esSignature = TestSigners.Es256.Sign(data);
        var psSignature = TestSigners.Ps256.Sign(data);
        Assert.True(CoseVerificationKey.Verify(es, (int)CoseAlgorithm.ES256, data, esSignature));
        Assert.True(CoseVerificationKey.Verify(ps, (int)CoseAlgorithm.PS256, data, psSignature));
        Assert.False(CoseVerificationKey.Verify(es, (int)CoseAlgorithm.PS256, data, esSignature));       // alg must fit the key
        Assert.False(CoseVerificationKey.Verify(ps, (int)CoseAlgorithm.PS256, data, psSignature[..^1])); // length = modulus
        Assert.False(CoseVerificationKey.Verify(es, (int)CoseAlgorithm.ES256, data, DerOf(esSignature)));  // 64-byte r||s only
        using var rsa1024 = RSA.Create(1024);
        using var weak = new CertificateRequest("CN=weak", rsa1024, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Clock.Now.AddYears(-1), Clock.Now.AddYears(1));
        Assert.Null(CoseVerificationKey.FromCertificate(weak, out var problem));
        Assert.Contains("2048", problem);
        Assert.False(CoseVerificationKey.Verify(weak, (int)CoseAlgorithm.PS256, data,
            rsa1024.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
    }

    private static byte[] DerOf(byte[] p1363)
    {
        // The same r and s, DER-encoded (RFC 3279 Ecdsa-Sig-Value): what COSE forbids.
        var r = new System.Numerics.BigInteger(p1363.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
        var s = new System.Numerics.BigInteger(p1363.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence()) { writer.WriteInteger(r); writer.WriteInteger(s); }
        return writer.Encode();
    }

    // Replaces the first text string equal to `old` in a CBOR item with raw (possibly invalid) bytes of a text string.
    private static byte[] ReplaceText(byte[] cbor, string old, byte[] replacementWithHeader)
    {
        var needle = Cbor(w => w.WriteTextString(old));
        var at = cbor.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return [.. cbor[..at], .. replacementWithHeader, .. cbor[(at + needle.Length)..]];
    }
}
