using System.Formats.Cbor;
using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;

namespace VaxCert.Core.Decoding;

/// <summary>Caps for decoding untrusted HC1 text.</summary>
public sealed record Hc1DecodeOptions
{
    /// <summary>A version-40 QR holds 4,296 alphanumeric characters; anything longer is not from a QR code.</summary>
    public int MaxInputLength { get; init; } = 4296;
    public int MaxInflatedBytes { get; init; } = Zlib.DefaultMaxInflatedBytes;
    public CborLimits Cbor { get; init; } = CborLimits.Default;

    public static Hc1DecodeOptions Default { get; } = new();
}

/// <summary>
/// What decoding reached, stage by stage. Decoding never judges trust: signature, time and policy are the verifier's job.
/// Every stage that succeeded leaves its output here, so a failure can be reported at the exact stage.
/// </summary>
public sealed record DecodedHc1
{
    public DecodeFailure Failure { get; init; }
    public bool Success => Failure == DecodeFailure.None;
    public string? Base45 { get; init; }
    public byte[]? Compressed { get; init; }
    public byte[]? Cose { get; init; }
    public CoseSign1Message? Message { get; init; }
    public CwtClaims? Claims { get; init; }
    /// <summary>The DCC object (ver, nam, dob, v/t/r) as JSON.</summary>
    public JsonObject? Dcc { get; init; }
}

/// <summary>Decodes "HC1:" text down to the DCC JSON, stage by stage, without throwing.</summary>
public static class Hc1Decoder
{
    public static DecodedHc1 Decode(ReadOnlySpan<char> text, Hc1DecodeOptions? options = null)
    {
        options ??= Hc1DecodeOptions.Default;
        if (text.Length > options.MaxInputLength)
            return new DecodedHc1 { Failure = DecodeFailure.InputTooLong };
        if (!ContextPrefix.TryStrip(text, out var body, out var failure))
            return new DecodedHc1 { Failure = failure };
        var base45 = body.ToString();
        if (!Encoding.Base45.TryDecode(body, out var compressed, out failure))
            return new DecodedHc1 { Failure = failure, Base45 = base45 };
        return DecodeCompressed(compressed, options) with { Base45 = base45 };
    }

    public static DecodedHc1 DecodeCompressed(byte[] compressed, Hc1DecodeOptions? options = null)
    {
        options ??= Hc1DecodeOptions.Default;
        if (!Zlib.TryDecompress(compressed, out var cose, out var failure, options.MaxInflatedBytes))
            return new DecodedHc1 { Failure = failure, Compressed = compressed };
        return DecodeCose(cose, options) with { Compressed = compressed };
    }

    public static DecodedHc1 DecodeCose(byte[] cose, Hc1DecodeOptions? options = null)
    {
        options ??= Hc1DecodeOptions.Default;
        if (!CoseSign1Message.TryDecode(cose, out var message, out var failure))
            return new DecodedHc1 { Failure = failure, Cose = cose };
        if (!CwtClaims.TryDecode(message!.Payload, out var claims, out failure, options.Cbor))
            return new DecodedHc1 { Failure = failure, Cose = cose, Message = message };
        var result = new DecodedHc1 { Cose = cose, Message = message, Claims = claims };
        if (!TryReadDcc(claims!.DccPayload, options.Cbor, out var dcc, out failure))
            return result with { Failure = failure };
        return result with { Dcc = dcc };
    }

    /// <summary>Reads the DCC CBOR (the value under -260 → 1) into JSON; it must be a map.</summary>
    public static bool TryReadDcc(ReadOnlyMemory<byte> dccCbor, CborLimits limits, out JsonObject? dcc, out DecodeFailure failure)
    {
        dcc = null;
        var reader = new CborReader(dccCbor, CborConformanceMode.Lax);
        if (!CborJson.TryRead(reader, limits, out var node, out failure))
            return false;
        if (node is not JsonObject obj)
        {
            failure = DecodeFailure.DccInvalid;
            return false;
        }
        dcc = obj;
        return true;
    }
}
