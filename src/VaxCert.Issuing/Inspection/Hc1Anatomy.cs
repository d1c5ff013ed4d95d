using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;

namespace VaxCert.Issuing.Inspection;

/// <summary>
/// Annotated hex of a VaxCert QR's COSE_Sign1: every CBOR item on its own line with its bytes and meaning (protected
/// header, each CWT claim including -65537 nationality and -65538 facility attestation, the attestation's fields).
/// Produces the worked example of docs/format.md (<c>vaxcert inspect</c>). The DCC itself is shown as hex plus its JSON.
/// </summary>
public static class Hc1Anatomy
{
    private const int HexColumn = 56, BytesPerLine = 16;

    // Vietnamese names read as written in the annotation, not as \u escapes.
    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The annotated dump, or null when <paramref name="hc1"/> does not decode (<paramref name="failure"/> says why).</summary>
    public static string? Describe(string hc1, out DecodeFailure failure)
    {
        var decoded = Hc1Decoder.Decode(hc1);
        failure = decoded.Failure;
        if (!decoded.Success) return null;
        var sb = new StringBuilder();
        try
        {
            Item(sb, decoded.Cose!, 0, "COSE_Sign1", Role.Cose);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            failure = DecodeFailure.CoseInvalid;
            return null;
        }
        return sb.ToString();
    }

    private enum Role { Cose, CoseArray, Protected, Header, Payload, Claims, Hcert, Dcc, Attestation, Plain }

    private static void Item(StringBuilder sb, ReadOnlyMemory<byte> enc, int depth, string label, Role role)
    {
        var r = new CborReader(enc, CborConformanceMode.Lax);
        switch (r.PeekState())
        {
            case CborReaderState.Tag:
            {
                var tag = r.ReadTag();
                var head = enc.Length - r.BytesRemaining;
                Line(sb, enc[..head], depth, $"tag {(ulong)tag}" + (tag == (CborTag)18 ? " = COSE_Sign1" : ""));
                Item(sb, enc[head..], depth, label, role == Role.Cose ? Role.CoseArray : role);
                return;
            }
            case CborReaderState.StartMap when role == Role.Dcc:
                Chunks(sb, enc, depth, $"{label}: DCC map ({enc.Length} bytes), JSON {DccJson(enc)}");
                return;
            case CborReaderState.StartMap:
            {
                var count = r.ReadStartMap();
                Line(sb, enc[..(enc.Length - r.BytesRemaining)], depth, $"{label}: map({count})");
                while (r.PeekState() != CborReaderState.EndMap)
                {
                    var keyEnc = r.ReadEncodedValue();
                    var valueEnc = r.ReadEncodedValue();
                    var key = new CborReader(keyEnc, CborConformanceMode.Lax).PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
                        ? new CborReader(keyEnc, CborConformanceMode.Lax).ReadInt64() : (long?)null;
                    var (name, childRole) = KeyName(role, key);
                    Line(sb, keyEnc, depth + 1, $"key {key?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({name})");
                    Item(sb, valueEnc, depth + 2, name, childRole);
                }
                return;
            }
            case CborReaderState.StartArray:
            {
                var count = r.ReadStartArray();
                Line(sb, enc[..(enc.Length - r.BytesRemaining)], depth, $"{label}: array({count})");
                var i = 0;
                while (r.PeekState() != CborReaderState.EndArray)
                {
                    var (name, childRole) = ElementName(role, i++);
                    Item(sb, r.ReadEncodedValue(), depth + 1, name, childRole);
                }
                return;
            }
            case CborReaderState.ByteString:
            {
                var content = r.ReadByteString();
                var head = enc[..(enc.Length - content.Length)];
                if (role is Role.Protected or Role.Payload)
                {
                    Line(sb, head, depth, $"{label}: bstr({content.Length}) holding CBOR:");
                    Item(sb, content, depth + 1, role == Role.Protected ? "protected header" : "CWT claims", role == Role.Protected ? Role.Header : Role.Claims);
                }
                else
                {
                    Line(sb, head, depth, $"{label}: bstr({content.Length}) {Convert.ToBase64String(content)}");
                    Chunks(sb, content, depth + 1, null);
                }
                return;
            }
            case CborReaderState.TextString:
            {
                var text = r.ReadTextString();
                Line(sb, enc, depth, $"{label}: \"{text}\"");
                return;
            }
            case CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger:
            {
                var value = r.ReadInt64();
                Line(sb, enc, depth, $"{label}: {value.ToString(CultureInfo.InvariantCulture)}{IntegerMeaning(label, value)}");
                return;
            }
            default:
                Chunks(sb, enc, depth, $"{label}: {r.PeekState()}");
                return;
        }
    }

    private static string DccJson(ReadOnlyMemory<byte> enc) =>
        Hc1Decoder.TryReadDcc(enc, CborLimits.Default, out var dcc, out _) ? dcc!.ToJsonString(RelaxedJson) : "(unreadable)";

    private static (string Name, Role Role) KeyName(Role map, long? key) => (map, key) switch
    {
        (Role.Header, 1) => ("alg", Role.Plain),
        (Role.Header, 4) => ("kid = SHA-256(DSC DER)[0..8]", Role.Plain),
        (Role.Claims, 1) => ("iss", Role.Plain),
        (Role.Claims, 4) => ("exp", Role.Plain),
        (Role.Claims, 6) => ("iat", Role.Plain),
        (Role.Claims, -260) => ("hcert", Role.Hcert),
        (Role.Claims, -65537) => ("nationality", Role.Plain),
        (Role.Claims, -65538) => ("facility attestation", Role.Attestation),
        (Role.Hcert, 1) => ("eu_dcc_v1", Role.Dcc),
        _ => ("unknown", Role.Plain),
    };

    private static (string Name, Role Role) ElementName(Role array, int index) => (array, index) switch
    {
        (Role.CoseArray, 0) => ("protected", Role.Protected),
        (Role.CoseArray, 1) => ("unprotected", Role.Plain),
        (Role.CoseArray, 2) => ("payload", Role.Payload),
        (Role.CoseArray, 3) => ("signature", Role.Plain),
        (Role.Attestation, 0) => ("form", Role.Plain),
        (Role.Attestation, 1) => ("facility kid = SHA-256(facility cert DER)[0..8]", Role.Plain),
        (Role.Attestation, 2) => ("facility alg", Role.Plain),
        (Role.Attestation, 3) => ("facility signature (full) or SHA-256(signature)[0..16] (digest)", Role.Plain),
        _ => ($"[{index}]", Role.Plain),
    };

    private static string IntegerMeaning(string label, long value) => label switch
    {
        "alg" or "facility alg" => value switch { -7 => " (ES256)", -37 => " (PS256)", _ => "" },
        "exp" or "iat" => " (" + DateTimeOffset.FromUnixTimeSeconds(value).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC)",
        "form" => value switch { 1 => " (full)", 2 => " (digest)", _ => "" },
        _ => "",
    };

    private static void Line(StringBuilder sb, ReadOnlyMemory<byte> bytes, int depth, string? text)
    {
        var hex = new string(' ', depth * 2) + Hex(bytes.Span);
        sb.Append(text is null ? hex : hex.PadRight(HexColumn) + " " + text).Append('\n');
    }

    private static void Chunks(StringBuilder sb, ReadOnlyMemory<byte> bytes, int depth, string? firstText)
    {
        for (var i = 0; i < bytes.Length; i += BytesPerLine)
            Line(sb, bytes.Slice(i, Math.Min(BytesPerLine, bytes.Length - i)), depth, i == 0 ? firstText : null);
        if (bytes.Length == 0 && firstText is not null) Line(sb, bytes, depth, firstText);
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes) sb.Append(sb.Length == 0 ? "" : " ").Append(b.ToString("x2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
