using System.Diagnostics;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Verifier;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Trust;

namespace VaxCert.Bench.Scenarios;

/// <summary>Verifier SDK scenarios: full Verify against a bare signature check, trust-list load, revocation, mutations.</summary>
public static class VerifierScenarios
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static IEnumerable<Scenario> All =>
    [
        new("verify-es256", "CertificateVerifier.Verify of a VaxCert ES256 HC1 vs ECDsa.VerifyData on the same key and Sig_structure", c => VerifyVsBare(c, CoseAlgorithm.ES256)),
        new("verify-ps256", "CertificateVerifier.Verify of a VaxCert PS256 HC1 vs RSA.VerifyData (PSS) on the same key and Sig_structure", c => VerifyVsBare(c, CoseAlgorithm.PS256)),
        new("trustlist-load", "Load a 1,000-DSC EU-gateway JSON trust list vs parsing the same 1,000 DER certificates", TrustListLoad),
        new("revocation-lookup-1m", "Lookup in a 1,000,000-entry revocation list vs HashSet<UInt128>; bytes per entry", RevocationLookup),
        new("verify-mutations", "100,000 seeded mutations of valid ES256/PS256 HC1: counts per outcome/reason, escapes, false passes", Mutations, RunByDefault: false),
        new("verify-hostile", "200,000 validly signed hostile DCCs and forgeries (issue 12): Verify rate vs the honest sample, false Valid, Indeterminate, escapes",
            c => HostileScenarios.Run(c, Now, CreateDsc), RunByDefault: false),
    ];

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static X509Certificate2 CreateDsc(CoseAlgorithm algorithm, string name)
    {
        var subject = new X500DistinguishedName($"CN={name}, C=VN");
        var request = algorithm == CoseAlgorithm.ES256
            ? new CertificateRequest(subject, ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256)
            : new CertificateRequest(subject, RSA.Create(2048), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.4.1.1847.2021.1.2")], false));
        return request.CreateSelfSigned(Now.AddYears(-2), Now.AddYears(5));
    }

    internal static string IssueSample(SoftwareCoseSigner signer)
    {
        var dcc = new JsonObject
        {
            ["ver"] = "1.3.3",
            ["nam"] = new JsonObject { ["fn"] = "Nguyễn", ["fnt"] = "NGUYEN", ["gn"] = "Thị Minh Khai", ["gnt"] = "THI<MINH<KHAI" },
            ["dob"] = "1985-04-12",
            ["v"] = new JsonArray(new JsonObject
            {
                ["ci"] = "URN:UVCI:01:VN:HN/ABC123#X", ["co"] = "VN", ["dn"] = 2, ["dt"] = "2021-09-14",
                ["is"] = "Ministry of Health of Viet Nam", ["ma"] = "ORG-100030215", ["mp"] = "EU/1/20/1528", ["sd"] = 2,
                ["tg"] = "840539006", ["vp"] = "1119349007",
            }),
        };
        var w = new CborWriter();
        w.WriteStartMap(4);
        w.WriteInt32(1); w.WriteTextString("VN");
        w.WriteInt32(4); w.WriteInt64(Now.AddDays(300).ToUnixTimeSeconds());
        w.WriteInt32(6); w.WriteInt64(Now.AddDays(-5).ToUnixTimeSeconds());
        w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); WriteJson(w, dcc); w.WriteEndMap();
        w.WriteEndMap();
        return ContextPrefix.Add(Base45.Encode(Zlib.Compress(CoseSign1.Sign(w.Encode(), signer))));
    }

    private static void WriteJson(CborWriter w, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o: w.WriteStartMap(o.Count); foreach (var (k, v) in o) { w.WriteTextString(k); WriteJson(w, v); } w.WriteEndMap(); break;
            case JsonArray a: w.WriteStartArray(a.Count); foreach (var v in a) WriteJson(w, v); w.WriteEndArray(); break;
            case JsonValue v when v.TryGetValue(out int i): w.WriteInt32(i); break;
            default: w.WriteTextString(node!.GetValue<string>()); break;
        }
    }

    private static BenchResult VerifyVsBare(BenchContext context, CoseAlgorithm algorithm)
    {
        using var dsc = CreateDsc(algorithm, "Bench DSC " + algorithm);
        using var signer = SoftwareCoseSigner.FromCertificate(dsc);
        var hc1 = IssueSample(signer);
        var verifier = new Verifier.CertificateVerifier(TrustList.Create([X509CertificateLoader.LoadCertificate(dsc.RawData)], Now),
            new VerifierOptions { Time = new FixedTime(Now) });
        if (!verifier.Verify(hc1).IsValid) throw new InvalidOperationException("bench sample does not verify");
        var message = Hc1Decoder.Decode(hc1).Message!;
        var toBeSigned = message.ToBeSigned();
        var signature = message.Signature.ToArray();
        using var ec = dsc.GetECDsaPublicKey();
        using var rsa = dsc.GetRSAPublicKey();
        Action bare = algorithm == CoseAlgorithm.ES256
            ? () => ec!.VerifyData(toBeSigned, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : () => rsa!.VerifyData(toBeSigned, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var (subject, baseline) = Measure.Paired(() => verifier.Verify(hc1), bare, context.Duration);
        return new BenchResult(algorithm == CoseAlgorithm.ES256 ? "verify-es256" : "verify-ps256", subject,
            algorithm == CoseAlgorithm.ES256 ? "ECDsa.VerifyData(P1363, SHA-256)" : "RSA.VerifyData(PSS, SHA-256)", baseline,
            new Dictionary<string, object> { ["hc1_chars"] = hc1.Length, ["signed_bytes"] = toBeSigned.Length });
    }

    private static BenchResult TrustListLoad(BenchContext context)
    {
        var ders = Enumerable.Range(0, 1000).Select(i => { using var c = CreateDsc(CoseAlgorithm.ES256, "DSC " + i); return c.RawData; }).ToList();
        var json = new JsonArray(ders.Select(d => (JsonNode)new JsonObject
        {
            ["kid"] = Convert.ToBase64String(KeyIdentifier.For(d)), ["country"] = "VN", ["certificateType"] = "DSC",
            ["rawData"] = Convert.ToBase64String(d), ["thumbprint"] = Convert.ToHexStringLower(SHA256.HashData(d)),
            ["signature"] = "", ["timestamp"] = "2026-02-28T10:00:00Z",
        }).ToArray()).ToJsonString();
        var loaded = TrustListLoader.FromGatewayJson(json, Now);
        if (loaded.Signers.Count != 1000) throw new InvalidOperationException("trust list lost entries");
        var (subject, baseline) = Measure.Paired(() => TrustListLoader.FromGatewayJson(json, Now),
            () => { foreach (var d in ders) X509CertificateLoader.LoadCertificate(d).Dispose(); }, context.Duration, rounds: 3);
        return new BenchResult("trustlist-load", subject, "X509CertificateLoader.LoadCertificate x1000", baseline,
            new Dictionary<string, object> { ["certificates"] = 1000, ["load_ms"] = 1000 / subject, ["json_bytes"] = json.Length });
    }

    private static BenchResult RevocationLookup(BenchContext context)
    {
        const int count = 1_000_000;
        var random = new Random(42);
        var hashes = new byte[count][];
        for (var i = 0; i < count; i++) { hashes[i] = new byte[16]; random.NextBytes(hashes[i]); }
        var before = GC.GetTotalMemory(true);
        var builder = new RevocationList.Builder().Reserve(RevocationHashType.Uci, count);
        foreach (var h in hashes) builder.Add(RevocationHashType.Uci, h);
        var list = builder.Build();
        builder = null;
        var listBytes = GC.GetTotalMemory(true) - before;
        before = GC.GetTotalMemory(true);
        var set = new HashSet<UInt128>(hashes.Select(h => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(h)));
        var setBytes = GC.GetTotalMemory(true) - before;
        var probes = Enumerable.Range(0, 4096).Select(i => i % 2 == 0 ? hashes[random.Next(count)] : RandomBytes(random)).ToArray();
        var probeValues = probes.Select(p => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(p)).ToArray();
        var k = 0;
        var (subject, baseline) = Measure.Paired(
            () => list.Contains(RevocationHashType.Uci, probes[k++ & 4095]),
            () => set.Contains(probeValues[k++ & 4095]), context.Duration);
        GC.KeepAlive(list);
        GC.KeepAlive(set);
        return new BenchResult("revocation-lookup-1m", subject, "HashSet<UInt128>.Contains", baseline, new Dictionary<string, object>
        {
            ["entries"] = count, ["bytes_per_entry"] = (double)listBytes / count, ["hashset_bytes_per_entry"] = (double)setBytes / count,
        });
    }

    private static byte[] RandomBytes(Random random)
    {
        var b = new byte[16];
        random.NextBytes(b);
        return b;
    }

    private static BenchResult Mutations(BenchContext context)
    {
        const int total = 100_000;
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int escaped = 0, falseValid = 0, done = 0;
        var sw = Stopwatch.StartNew();
        foreach (var algorithm in new[] { CoseAlgorithm.ES256, CoseAlgorithm.PS256 })
        {
            using var dsc = CreateDsc(algorithm, "Mutation DSC " + algorithm);
            using var signer = SoftwareCoseSigner.FromCertificate(dsc);
            var original = IssueSample(signer);
            var verifier = new Verifier.CertificateVerifier(TrustList.Create([X509CertificateLoader.LoadCertificate(dsc.RawData)], Now),
                new VerifierOptions { Time = new FixedTime(Now) });
            var mutator = new Hc1Mutator(original, seed: (int)algorithm);
            for (var i = 0; i < total / 2; i++, done++)
            {
                var (_, text) = mutator.Next();
                VerificationResult result;
                try { result = verifier.Verify(text); }
                catch (Exception) { escaped++; continue; }
                var key = $"{result.Outcome}/{(int)result.Reason} {result.Reason}";
                counts[key] = counts.GetValueOrDefault(key) + 1;
                if (result.IsValid && !Hc1Mutator.SameSignedBytes(text, original)) falseValid++;
            }
        }
        var rate = done / sw.Elapsed.TotalSeconds;
        var extra = new Dictionary<string, object> { ["cases"] = done, ["escaped_exceptions"] = escaped, ["false_valid"] = falseValid };
        foreach (var (k, v) in counts) extra["count " + k] = v;
        return new BenchResult("verify-mutations", rate, "none (counts are the result)", rate, extra);
    }
}
