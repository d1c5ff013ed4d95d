using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Issuance;

/// <summary>A signed certificate and every intermediate artefact of the HC1 pipeline (they match the EU vector fields).</summary>
public sealed record IssuedCertificate
{
    /// <summary>The certificate identifier (v[0].ci).</summary>
    public required string Uvci { get; init; }
    /// <summary>The exact QR content: "HC1:" + Base45.</summary>
    public required string Hc1 { get; init; }
    /// <summary>Tagged COSE_Sign1 bytes (what the EU vectors call COSE).</summary>
    public required byte[] Cose { get; init; }
    /// <summary>zlib-compressed COSE bytes (COMPRESSED).</summary>
    public required byte[] Compressed { get; init; }
    /// <summary>The CWT claims map that was signed (the COSE payload).</summary>
    public required byte[] CwtPayload { get; init; }
    /// <summary>The deterministic CBOR of the DCC object alone (the vectors' CBOR field).</summary>
    public required byte[] DccCbor { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required CoseAlgorithm Algorithm { get; init; }
    public required byte[] SignerKeyId { get; init; }

    /// <summary>Base45 text without the prefix.</summary>
    public string Base45 => Hc1[ContextPrefix.Hc1.Length..];

    /// <summary>The DCC as JSON, decoded from the signed CBOR (not rebuilt from the input record).</summary>
    public JsonObject DccJson()
    {
        var reader = new System.Formats.Cbor.CborReader(DccCbor);
        CborJson.TryRead(reader, CborLimits.Default, out var node, out _);
        return (JsonObject)node!;
    }
}
