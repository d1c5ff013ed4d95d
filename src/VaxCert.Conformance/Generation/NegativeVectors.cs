using System.Formats.Cbor;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Decoding;
using VaxCert.Core.Dcc;
using VaxCert.Core.Encoding;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Issuing.Pki;
using VaxCert.Verifier;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Conformance.Generation;

/// <summary>
/// Deliberately broken certificates, each breaking one stage so the verifier must answer one reason code. Built with
/// <see cref="FaultyHc1"/> (generator only) from the dev PKI; the facility faults go through the production issuer with a
/// tampered or unknown co-signature.
/// </summary>
internal static class NegativeVectors
{
    private const string TestEku = "1.3.6.1.4.1.1847.2021.1.1";

    /// <summary>Reason codes no QR text can produce, with why (docs/conformance.md lists them too).</summary>
    public static readonly IReadOnlyDictionary<ReasonCode, string> NotExpressible = new Dictionary<ReasonCode, string>
    {
        [ReasonCode.AdditionalCheckFailed] = "only a third-party IAdditionalCheck without a specific code answers it; VaxCert's facility check always answers 9101 or 9102",
        [ReasonCode.TrustListExpired] = "the expiry is set by a signed offline trust bundle (.vxb), which the vectors' trust material does not carry; the verifier's ReasonCodeTests and TrustBundleTests cover it",
        [ReasonCode.InternalError] = "a verifier or plug-in bug (an exception), not a property of the input; a vector expecting it would be a vector expecting a bug",
    };

    public static IEnumerable<GeneratedVector> Create(DevKeys keys, IssuerSettings settings)
    {
        var record = BaseRecord(settings, "79001", "NEG");
        var dcc = DccMapper.EncodeDcc(record, settings)!;
        var es = new FaultyHc1 { Signer = keys.Es256, DccCbor = dcc };
        var good = es.Cose();
        var goodCompressed = Zlib.Compress(good);
        var goodBase45 = Base45.Encode(goodCompressed);

        GeneratedVector V(string name, ReasonCode reason, VerificationStage stage, string prefix, string description) => new()
        {
            Name = name, Description = description, Positive = false, Prefix = prefix, DscDer = keys.Es256.Certificate.RawData,
            ExpectedReason = reason, FailingStage = stage,
        };
        GeneratedVector Built(string name, ReasonCode reason, VerificationStage stage, FaultyHc1 hc1, string description)
        {
            var cose = hc1.Cose();
            var decodable = Hc1Decoder.TryReadDcc(hc1.DccCbor, CborLimits.Default, out var json, out _) && !hc1.OmitHcert && hc1.RawPayload is null;
            return V(name, reason, stage, FaultyHc1.Wrap(cose), description) with
            {
                DscDer = hc1.Signer.Certificate.RawData, Cose = cose, Compressed = Zlib.Compress(cose),
                Dcc = decodable ? json : null, DccCbor = decodable ? hc1.DccCbor : null,
            };
        }

        // Transport.
        yield return V("input-too-long", ReasonCode.InputTooLong, VerificationStage.Input, "HC1:" + new string('0', 4400),
            "4,404 characters: more than a version-40 QR code holds");
        yield return V("prefix-missing", ReasonCode.PrefixMissing, VerificationStage.Prefix, goodBase45, "Base45 without the HC1: prefix");
        yield return V("prefix-hc2", ReasonCode.PrefixUnsupported, VerificationStage.Prefix, "HC2:" + goodBase45, "Context prefix HC2: (another version)");
        yield return V("base45-invalid-character", ReasonCode.Base45InvalidCharacter, VerificationStage.Base45,
            "HC1:" + goodBase45[..20] + "=" + goodBase45[21..], "An '=' (outside the Base45 alphabet) in the Base45 text");
        yield return V("base45-invalid-group", ReasonCode.Base45InvalidGroup, VerificationStage.Base45,
            "HC1:" + ":::" + goodBase45[3..], "First Base45 group ':::' is 91,124, above 65,535");
        yield return V("zlib-invalid", ReasonCode.ZlibInvalid, VerificationStage.Decompression, "HC1:" + Base45.Encode(good),
            "The COSE bytes Base45-encoded without zlib compression") with { Cose = good };
        yield return V("zlib-bomb", ReasonCode.ZlibTooLarge, VerificationStage.Decompression, "HC1:" + Base45.Encode(Zlib.Compress(new byte[1 << 20])),
            "1 MiB of zeros compressed to about 1 KB: inflating exceeds the 64 KiB cap");

        // COSE structure.
        yield return V("cose-not-an-array", ReasonCode.CoseInvalid, VerificationStage.Cose, FaultyHc1.Wrap(FaultyHc1.Cbor(w => w.WriteInt32(0))),
            "The compressed content is the CBOR integer 0, not a COSE_Sign1");
        var mac0 = (byte[])good.Clone();
        mac0[0] = 0xD1; // tag 18 (COSE_Sign1) → tag 17 (COSE_Mac0)
        yield return V("cose-wrong-tag", ReasonCode.CoseInvalid, VerificationStage.Cose, FaultyHc1.Wrap(mac0),
            "The signed structure is tagged 17 (COSE_Mac0) instead of 18 (COSE_Sign1)") with { Cose = mac0 };
        yield return Built("cose-header-invalid", ReasonCode.CoseHeaderInvalid, VerificationStage.Cose,
            es with { RawProtected = FaultyHc1.Cbor(w => w.WriteInt32(1)) }, "The protected header is the integer 1, not a serialized map");
        yield return Built("cose-crit-unknown", ReasonCode.CoseCriticalHeaderUnsupported, VerificationStage.Cose,
            es with { RawProtected = CriticalHeader(keys.Es256.KeyId.ToArray()) },
            "The protected header marks parameter -70001 as critical (crit, label 2); the verifier does not process it (RFC 9052 §3.1)");
        yield return Built("cwt-not-a-map", ReasonCode.CwtInvalid, VerificationStage.Payload,
            es with { RawPayload = FaultyHc1.Cbor(w => w.WriteInt32(7)) }, "The COSE payload is the integer 7, not a CWT claims map");
        yield return Built("cwt-iat-as-text", ReasonCode.CwtClaimInvalid, VerificationStage.Payload,
            es with { IssuedAtAsText = true }, "iat (claim 6) is a text string instead of a number");
        yield return Built("hcert-missing", ReasonCode.HcertMissing, VerificationStage.Payload,
            es with { OmitHcert = true }, "The CWT has iss, iat and exp but no hcert claim -260");
        yield return Built("dcc-cbor-invalid", ReasonCode.CborInvalid, VerificationStage.Payload,
            es with { DccCbor = FaultyHc1.Cbor(w => w.WriteSimpleValue(CborSimpleValue.Undefined)) }, "The DCC under -260 → 1 is CBOR 'undefined'");
        yield return Built("dcc-cbor-too-deep", ReasonCode.CborTooDeep, VerificationStage.Payload,
            es with { DccCbor = Nested(40) }, "The DCC is 40 nested arrays, deeper than the cap of 16");
        yield return Built("dcc-not-a-map", ReasonCode.DccInvalid, VerificationStage.Payload,
            es with { DccCbor = FaultyHc1.Cbor(w => { w.WriteStartArray(0); w.WriteEndArray(); }) }, "The DCC is an empty array, not a map");

        // Signer.
        yield return Built("algorithm-unsupported", ReasonCode.AlgorithmUnsupported, VerificationStage.Signature,
            es with { Algorithm = -35 }, "alg -35 (ES384) is not ES256 or PS256");
        yield return Built("kid-missing", ReasonCode.KidMissing, VerificationStage.Signature,
            es with { KeyId = [] }, "No kid in either header");
        yield return Built("kid-unknown", ReasonCode.KidUnknown, VerificationStage.Signature,
            es with { KeyId = [0x56, 0x4E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01] }, "kid 564E000000000001 names no trusted signer");
        yield return Built("signature-flipped", ReasonCode.SignatureInvalid, VerificationStage.Signature,
            es with { TamperSignature = s => { s[10] ^= 0x01; return s; } }, "One bit of the ES256 signature flipped");
        yield return Built("signature-ps256-flipped", ReasonCode.SignatureInvalid, VerificationStage.Signature,
            es with { Signer = keys.Ps256, TamperSignature = s => { s[^1] ^= 0x80; return s; } }, "One bit of the PS256 signature flipped");
        using (var testOnly = new FaultySigner(keys.Csca, "VaxCert DEV DSC test-only", TestEku))
            yield return Built("key-usage-test-only", ReasonCode.KeyUsageMismatch, VerificationStage.KeyUsage,
                es with { Signer = testOnly.Signer }, "A vaccination certificate signed by a DSC whose EKU allows tests only (…1847.2021.1.1)");
        yield return Built("signer-expired-at-iat", ReasonCode.SignerNotValidAtIssuance, VerificationStage.SignerValidity,
            es with { IssuedAt = new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero) },
            "iat 2023-06-01 is before the DSC's notBefore (2024-01-01)");
        using (var foreign = new FaultySigner(keys.FacilityCa, "VaxCert DEV DSC from the wrong CA", CertificateFactory.EkuVaccination))
            yield return Built("signer-chain-invalid", ReasonCode.SignerChainInvalid, VerificationStage.SignerValidity,
                es with { Signer = foreign.Signer }, "The DSC was issued by the facility CA, not by the CSCA given in TESTCTX.CSCA")
                with { Extensions = new JsonObject { ["CSCA"] = Convert.ToBase64String(keys.Csca.RawData) } };

        // Time.
        yield return Built("cwt-expired", ReasonCode.CwtExpired, VerificationStage.Expiration, es, "VALIDATIONCLOCK is one day after exp")
            with { ValidationClock = GenerationClock.ExpiresAt.AddDays(1) };
        yield return Built("cwt-not-yet-valid", ReasonCode.CwtNotYetValid, VerificationStage.Expiration, es, "VALIDATIONCLOCK is one day before iat")
            with { ValidationClock = GenerationClock.IssuedAt.AddDays(-1) };
        yield return Built("cwt-exp-missing", ReasonCode.CwtTimeMissing, VerificationStage.Expiration, es with { ExpiresAt = null }, "No exp claim");

        // Content.
        yield return Built("schema-dob-format", ReasonCode.SchemaInvalid, VerificationStage.Schema,
            es with { DccCbor = DccMapper.EncodeDcc(record with { DateOfBirth = "12.04.1985" }, settings)! }, "dob '12.04.1985' breaks the schema pattern");
        // A DSC without EKU may sign every type, so the key-usage stage passes and the schema stage sees both v and r.
        using (var anyType = new FaultySigner(keys.Csca, "VaxCert DEV DSC without EKU"))
            yield return Built("dcc-vaccination-and-recovery", ReasonCode.DccTypeAmbiguous, VerificationStage.Schema,
                es with { Signer = anyType.Signer, DccCbor = WithRecovery(DccMapper.EncodeDcc(record, settings with { SchemaVersion = "1.2.1" })!) },
                "A ver 1.2.1 DCC holding both v and r (that schema does not forbid it; signed by a DSC without EKU, allowed all types)");
        yield return Built("content-impossible-date", ReasonCode.DccContentInvalid, VerificationStage.Content,
            es with { DccCbor = ReplaceText(dcc, "2021-09-14", "2021-02-30") },
            "dt '2021-02-30' matches the schema's pattern but is not a calendar date: no Valid without a readable record");
        yield return Built("value-set-unknown-product", ReasonCode.ValueSetViolation, VerificationStage.ValueSets,
            es with { DccCbor = DccMapper.EncodeDcc(record with { VaccineProduct = "EU/1/99/9999" }, settings)! }, "mp 'EU/1/99/9999' is not in the EU value set");
        yield return Built("policy-product-not-approved", ReasonCode.PolicyViolation, VerificationStage.Policy,
            es with { DccCbor = DccMapper.EncodeDcc(record with { VaccineProduct = "CVnCoV", Manufacturer = "ORG-100032020" }, settings)! },
            "CVnCoV is in the EU value sets but not approved in Viet Nam; TESTCTX.POLICY = VN") with { Extensions = new JsonObject { ["POLICY"] = "VN" } };
        yield return Built("revoked-uci", ReasonCode.Revoked, VerificationStage.Revocation, es, "The UCI's hash is on the revocation list in TESTCTX.REVOCATION")
            with { Extensions = new JsonObject { ["REVOCATION"] = new JsonObject { ["UCI"] = new JsonArray(Convert.ToBase64String(RevocationHashes.Uci(record.CertificateId))) } } };
        yield return Built("trust-list-too-old", ReasonCode.TrustListTooOld, VerificationStage.TrustList, es,
            "The trust list was issued 3 days before VALIDATIONCLOCK and may be 1 day old: Indeterminate")
            with { Extensions = new JsonObject
            {
                ["TRUSTLISTISSUEDAT"] = GenerationClock.ValidationClock.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["MAXTRUSTLISTAGESECONDS"] = 86400,
            } };

        // Facility co-signature (two-level chain), issued by the production issuer.
        yield return PositiveVectors.Issue(keys, settings, keys.Es256, BaseRecord(settings, "HN001", "FSIG"), "HN001",
            "facility-signature-invalid", "The facility co-signature has one bit flipped: the record no longer matches what the facility signed",
            s => { s[5] ^= 0x01; return s; }) with
            { Positive = false, WithImage = false, ExpectedReason = ReasonCode.FacilityCoSignatureInvalid, FailingStage = VerificationStage.Additional };
        var unknown = PositiveVectors.Issue(keys, settings, keys.Es256, BaseRecord(settings, "DN001", "FUNK"), "DN001",
            "facility-unknown", "Co-signed by facility DN001, but TESTCTX.FACILITYCERTIFICATE knows only HN001");
        using var hn001 = keys.Facility("HN001");
        yield return unknown with
        {
            Positive = false, WithImage = false, ExpectedReason = ReasonCode.FacilityUnknown, FailingStage = VerificationStage.Additional,
            Extensions = new JsonObject
            {
                ["CSCA"] = Convert.ToBase64String(keys.Csca.RawData),
                ["FACILITYCA"] = Convert.ToBase64String(keys.FacilityCa.RawData),
                ["FACILITYCERTIFICATE"] = Convert.ToBase64String(hn001.Certificate.RawData),
            },
        };
    }

    private static VaccinationRecord BaseRecord(IssuerSettings settings, string facility, string id)
    {
        var comirnaty = IssuancePolicy.Default.FindVaccine("EU/1/20/1528")!;
        return new VaccinationRecord
        {
            FamilyName = "Phạm", GivenName = "Thị Thu Hương", DateOfBirth = "1985-04-12", Nationality = "VN",
            TotalDoses = 2, DoseNumber = 2, DateOfVaccination = new DateOnly(2021, 9, 14),
            VaccineType = comirnaty.VaccineTypes[0], VaccineProduct = comirnaty.Product, Manufacturer = comirnaty.Manufacturer,
            CertificateId = new DeterministicUvci(settings.Country).For(facility, id),
        };
    }

    /// <summary>A protected header {alg, kid, crit: [-70001], -70001: 1}: well formed, validly signable, one unknown critical label.</summary>
    private static byte[] CriticalHeader(byte[] kid) => FaultyHc1.Cbor(w =>
    {
        w.WriteStartMap(4);
        w.WriteInt32(1); w.WriteInt32(-7);
        w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(-70001); w.WriteEndArray();
        w.WriteInt32(4); w.WriteByteString(kid);
        w.WriteInt32(-70001); w.WriteInt32(1);
        w.WriteEndMap();
    });

    /// <summary>The DCC CBOR with one text string replaced by another of the same length (so no length prefix changes).</summary>
    private static byte[] ReplaceText(byte[] cbor, string from, string to)
    {
        var a = System.Text.Encoding.UTF8.GetBytes(from);
        var b = System.Text.Encoding.UTF8.GetBytes(to);
        if (a.Length != b.Length) throw new ArgumentException("same length only", nameof(to));
        var at = cbor.AsSpan().IndexOf(a);
        if (at < 0) throw new ArgumentException($"'{from}' not in the DCC", nameof(from));
        var copy = (byte[])cbor.Clone();
        b.CopyTo(copy, at);
        return copy;
    }

    private static byte[] Nested(int depth) => FaultyHc1.Cbor(w =>
    {
        for (var i = 0; i < depth; i++) w.WriteStartArray(1);
        w.WriteInt32(0);
        for (var i = 0; i < depth; i++) w.WriteEndArray();
    });

    /// <summary>The DCC map with an "r" (recovery) entry added next to "v".</summary>
    private static byte[] WithRecovery(byte[] dcc) => FaultyHc1.Cbor(w =>
    {
        var reader = new CborReader(dcc, CborConformanceMode.Lax);
        var count = reader.ReadStartMap()!.Value;
        w.WriteStartMap(count + 1);
        for (var i = 0; i < count * 2; i++) w.WriteEncodedValue(reader.ReadEncodedValue().Span);
        w.WriteTextString("r");
        w.WriteStartArray(1);
        w.WriteStartMap(7);
        foreach (var (k, v) in new[] { ("tg", "840539006"), ("fr", "2021-05-07"), ("co", "VN"), ("is", "Ministry of Health of Viet Nam"),
                     ("df", "2021-05-18"), ("du", "2021-11-05"), ("ci", "URN:UVCI:01:VN:R/1#A") })
        { w.WriteTextString(k); w.WriteTextString(v); }
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
    });

    /// <summary>A document signer minted for one vector (fresh key) from the given CA, with the given EKUs (none: all types).</summary>
    private sealed class FaultySigner : IDisposable
    {
        private readonly X509Certificate2 _certificate;

        public FaultySigner(X509Certificate2 ca, string commonName, params string[] ekus)
        {
            _certificate = CertificateFactory.CreateSigner(ca, new X500DistinguishedName($"CN={commonName}, O=VaxCert conformance (DEV ONLY), C=VN"),
                false, DevPkiGenerator.SignersFrom, DevPkiGenerator.SignersUntil, ekus);
            Signer = SoftwareCoseSigner.FromCertificate(_certificate);
        }

        public SoftwareCoseSigner Signer { get; }

        public void Dispose()
        {
            Signer.Dispose();
            _certificate.Dispose();
        }
    }
}
