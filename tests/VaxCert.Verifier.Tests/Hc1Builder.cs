using System.Formats.Cbor;
using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Verifier.Tests;

/// <summary>
/// Builds HC1 texts with full control over every layer (claims, headers, signature), so each reason code can be produced
/// on purpose. Signing goes through Core's SoftwareCoseSigner; everything else is written here with CborWriter.
/// </summary>
internal sealed record Hc1Builder
{
    public required SoftwareCoseSigner Signer { get; init; }
    public JsonObject Dcc { get; init; } = SampleDcc.Vaccination();
    public string? Issuer { get; init; } = "VN";
    public DateTimeOffset? IssuedAt { get; init; } = Clock.Now.AddDays(-10);
    public DateTimeOffset? ExpiresAt { get; init; } = Clock.Now.AddDays(300);
    public int? Algorithm { get; init; }
    public bool IncludeKid { get; init; } = true;
    /// <summary>Replaces the DCC CBOR under -260 → 1 with these raw bytes.</summary>
    public byte[]? RawDcc { get; init; }
    /// <summary>Replaces the whole CWT payload with these raw bytes.</summary>
    public byte[]? RawPayload { get; init; }
    /// <summary>Replaces the serialized protected header.</summary>
    public byte[]? RawProtected { get; init; }
    /// <summary>Writes iat as this text instead of a number.</summary>
    public bool IssuedAtAsText { get; init; }
    public Func<byte[], byte[]>? TamperSignature { get; init; }

    public byte[] BuildCose()
    {
        var protectedHeader = RawProtected ?? ProtectedHeader();
        var payload = RawPayload ?? Payload();
        var signature = Signer.Sign(CoseSign1.BuildToBeSigned(protectedHeader, payload));
        if (TamperSignature is not null) signature = TamperSignature(signature);
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }

    public string Build() => Wrap(BuildCose());

    public static string Wrap(byte[] cose) => ContextPrefix.Add(Base45.Encode(Zlib.Compress(cose)));

    private byte[] ProtectedHeader()
    {
        var w = new CborWriter();
        w.WriteStartMap(IncludeKid ? 2 : 1);
        w.WriteInt32(1);
        w.WriteInt32(Algorithm ?? (int)Signer.Algorithm);
        if (IncludeKid) { w.WriteInt32(4); w.WriteByteString(Signer.KeyId.Span); }
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] BuildCwtForTests() => Payload();

    private byte[] Payload()
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(null);
        if (Issuer is not null) { w.WriteInt32(1); w.WriteTextString(Issuer); }
        if (IssuedAt is { } iat)
        {
            w.WriteInt32(6);
            if (IssuedAtAsText) w.WriteTextString(iat.ToString("O"));
            else w.WriteInt64(iat.ToUnixTimeSeconds());
        }
        if (ExpiresAt is { } exp) { w.WriteInt32(4); w.WriteInt64(exp.ToUnixTimeSeconds()); }
        w.WriteInt32(-260);
        w.WriteStartMap(1);
        w.WriteInt32(1);
        w.WriteEncodedValue(RawDcc ?? JsonToCbor(Dcc));
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    public static byte[] JsonToCbor(JsonNode? node)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        Write(w, node);
        return w.Encode();
    }

    private static void Write(CborWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null: w.WriteNull(); break;
            case JsonObject o:
                w.WriteStartMap(o.Count);
                foreach (var (k, v) in o) { w.WriteTextString(k); Write(w, v); }
                w.WriteEndMap();
                break;
            case JsonArray a:
                w.WriteStartArray(a.Count);
                foreach (var v in a) Write(w, v);
                w.WriteEndArray();
                break;
            case JsonValue v when v.TryGetValue(out string? s): w.WriteTextString(s); break;
            case JsonValue v when v.TryGetValue(out long l): w.WriteInt64(l); break;
            case JsonValue v when v.TryGetValue(out int i): w.WriteInt32(i); break;
            case JsonValue v when v.TryGetValue(out bool b): w.WriteBoolean(b); break;
            case JsonValue v: w.WriteDouble(v.GetValue<double>()); break;
        }
    }
}

/// <summary>The fixed "now" of these tests.</summary>
internal static class Clock
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public static FixedTime Fixed => new(Now);
}

/// <summary>Realistic DCC payloads.</summary>
internal static class SampleDcc
{
    public static JsonObject Vaccination(string mp = "EU/1/20/1528", string ma = "ORG-100030215", string vp = "1119349007",
        string co = "VN", string ci = "URN:UVCI:01:VN:HN/ABC123#X", string dob = "1985-04-12") => new()
    {
        ["ver"] = "1.3.3",
        ["nam"] = new JsonObject { ["fn"] = "Nguyễn", ["fnt"] = "NGUYEN", ["gn"] = "Thị Minh Khai", ["gnt"] = "THI<MINH<KHAI" },
        ["dob"] = dob,
        ["v"] = new JsonArray(new JsonObject
        {
            ["tg"] = "840539006", ["vp"] = vp, ["mp"] = mp, ["ma"] = ma, ["dn"] = 2, ["sd"] = 2,
            ["dt"] = "2021-09-14", ["co"] = co, ["is"] = "Ministry of Health of Viet Nam", ["ci"] = ci,
        }),
    };

    public static JsonObject Recovery() => new()
    {
        ["ver"] = "1.3.3",
        ["nam"] = new JsonObject { ["fnt"] = "TRAN", ["gnt"] = "AN" },
        ["dob"] = "1990",
        ["r"] = new JsonArray(new JsonObject
        {
            ["tg"] = "840539006", ["fr"] = "2021-05-07", ["co"] = "VN", ["is"] = "Ministry of Health of Viet Nam",
            ["df"] = "2021-05-18", ["du"] = "2021-11-05", ["ci"] = "URN:UVCI:01:VN:R/1#A",
        }),
    };
}
