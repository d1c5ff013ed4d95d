using System.Formats.Cbor;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Encoding;

/// <summary>
/// The EU's own dgc-testdata vectors, read in place: the core decoding stages agree with every DECODE, VERIFY,
/// UNPREFIX, B45DECODE and COMPRESSION flag that a vector states. (The verifier SDK checks the remaining flags.)
/// </summary>
public class EuVectorDecodeTests
{
    public static IEnumerable<object[]> Vectors() => EuVector.Paths();

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_flag_matches_signature_check_with_the_vectors_certificate(string path)
    {
        var v = EuVector.Load(path);
        if (v.Expected("EXPECTEDVERIFY") is not { } expected) return;
        Assert.Equal(expected, VerifiesWithOwnCertificate(v));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_flag_matches_semantic_comparison_with_json(string path)
    {
        var v = EuVector.Load(path);
        if (v.Expected("EXPECTEDDECODE") is not { } expected) return;
        if (EuKnownIssues.Find(path, "EXPECTEDDECODE") is { Treatment: "payload-decodes-only" })
        {
            // Documented upstream data error: the payload must still decode, and must really differ from JSON.
            var decoded = Hc1Decoder.DecodeCose(Convert.FromHexString(v.Field("COSE")!));
            Assert.True(decoded.Success);
            Assert.False(DccComparison.SemanticallyEqual(decoded.Dcc, v.Dcc));
            return;
        }
        Assert.Equal(expected, DecodesToItsJson(v));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Transport_stage_flags_match(string path)
    {
        var v = EuVector.Load(path);
        if (v.Expected("EXPECTEDUNPREFIX") is { } unprefix && v.Field("PREFIX") is { } prefix)
        {
            var ok = ContextPrefix.TryStrip(prefix, out var body, out _) && body.SequenceEqual(v.Field("BASE45") ?? "");
            Assert.Equal(unprefix, ok);
        }
        if (v.Expected("EXPECTEDB45DECODE") is { } b45 && v.Field("BASE45") is { } base45)
        {
            var ok = Base45.TryDecode(base45, out var bytes, out _)
                     && (v.Field("COMPRESSED") is not { } hex || bytes.AsSpan().SequenceEqual(Convert.FromHexString(hex)));
            Assert.Equal(b45, ok);
        }
        if (v.Expected("EXPECTEDCOMPRESSION") is { } zlib && v.Field("COMPRESSED") is { } compressed)
        {
            var ok = Zlib.TryDecompress(Convert.FromHexString(compressed), out var cose, out _)
                     && (v.Field("COSE") is not { } coseHex || cose.AsSpan().SequenceEqual(Convert.FromHexString(coseHex)));
            Assert.Equal(zlib, ok);
        }
    }

    [Fact]
    public void The_developer_set_is_all_there()
    {
        // 129 vectors per the shared README; if this drops, tests above silently cover less.
        Assert.Equal(129, EuVector.All().Count);
    }

    internal static bool VerifiesWithOwnCertificate(EuVector v)
    {
        if (v.Field("COSE") is not { } coseHex || v.CertificateBase64 is not { } certB64) return false;
        var decoded = Hc1Decoder.DecodeCose(Convert.FromHexString(coseHex));
        if (decoded.Message is null) return false;
        using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certB64));
        var kid = decoded.Message.KeyId;
        return kid is { } k && k.AsSpan().SequenceEqual(KeyIdentifier.For(cert)) && decoded.Message.VerifySignature(cert);
    }

    // DECODE compares the signed payload with JSON. The CBOR field is only the source when there is no COSE (CBO1):
    // in PL/1.3.0 the CBOR field belongs to another certificate while DECODE is true, as upstream's runner reads it.
    private static bool DecodesToItsJson(EuVector v)
    {
        JsonObject? dcc;
        if (v.Field("COSE") is { } coseHex)
        {
            var decoded = Hc1Decoder.DecodeCose(Convert.FromHexString(coseHex));
            if (!decoded.Success) return false;
            dcc = decoded.Dcc;
        }
        else if (v.Field("CBOR") is { } cborHex)
        {
            if (!TryDccFromCborField(Convert.FromHexString(cborHex), out dcc)) return false;
        }
        else
        {
            return false;
        }
        return v.Dcc is not { } json || DccComparison.SemanticallyEqual(dcc, json);
    }

    // Some issuers put the DCC object in CBOR, others the whole CWT claims map (README §8.8): compare at the DCC level.
    private static bool TryDccFromCborField(byte[] cbor, out JsonObject? dcc)
    {
        dcc = null;
        if (CwtClaims.TryDecode(cbor, out var claims, out _))
            return Hc1Decoder.TryReadDcc(claims!.DccPayload, CborLimits.Default, out dcc, out _);
        var reader = new CborReader(cbor, CborConformanceMode.Lax);
        if (!CborJson.TryRead(reader, CborLimits.Default, out var node, out _) || reader.BytesRemaining != 0) return false;
        dcc = node as JsonObject;
        return dcc is not null && dcc.ContainsKey("ver");
    }
}
