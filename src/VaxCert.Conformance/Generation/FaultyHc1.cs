using System.Formats.Cbor;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Conformance.Generation;

/// <summary>
/// Generator-only HC1 assembly with a knob for every layer, so a vector can break exactly one stage (the production
/// pipeline, Hc1Issuer, has no such knobs and never will). Defaults give a well-formed certificate.
/// </summary>
internal sealed record FaultyHc1
{
    public required ICoseSigner Signer { get; init; }
    public required byte[] DccCbor { get; init; }
    public DateTimeOffset? IssuedAt { get; init; } = GenerationClock.IssuedAt;
    public DateTimeOffset? ExpiresAt { get; init; } = GenerationClock.ExpiresAt;
    /// <summary>Writes iat as text instead of a number (a claim of the wrong type).</summary>
    public bool IssuedAtAsText { get; init; }
    /// <summary>Leaves out the hcert claim -260.</summary>
    public bool OmitHcert { get; init; }
    /// <summary>Replaces the whole CWT payload.</summary>
    public byte[]? RawPayload { get; init; }
    /// <summary>Replaces the serialized protected header.</summary>
    public byte[]? RawProtected { get; init; }
    /// <summary>The alg written in the protected header (default: the signer's).</summary>
    public int? Algorithm { get; init; }
    /// <summary>The kid written (default: the signer's); an empty array leaves the kid out.</summary>
    public byte[]? KeyId { get; init; }
    /// <summary>Changes the signature after signing.</summary>
    public Func<byte[], byte[]>? TamperSignature { get; init; }

    public byte[] Payload() => RawPayload ?? EncodeClaims();

    public byte[] Cose()
    {
        var header = RawProtected ?? EncodeHeader();
        var payload = Payload();
        var signature = Signer.Sign(CoseSign1.BuildToBeSigned(header, payload));
        return CoseSign1.Encode(header, payload, TamperSignature is null ? signature : TamperSignature(signature));
    }

    public string Hc1() => Wrap(Cose());

    /// <summary>zlib, Base45 and the HC1: prefix around any bytes.</summary>
    public static string Wrap(byte[] cose) => ContextPrefix.Add(Base45.Encode(Zlib.Compress(cose)));

    /// <summary>CBOR bytes written by <paramref name="write"/>.</summary>
    public static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }

    private byte[] EncodeHeader()
    {
        var kid = KeyId ?? Signer.KeyId.ToArray();
        return Cbor(w =>
        {
            w.WriteStartMap(kid.Length > 0 ? 2 : 1);
            w.WriteInt32(1);
            w.WriteInt32(Algorithm ?? (int)Signer.Algorithm);
            if (kid.Length > 0) { w.WriteInt32(4); w.WriteByteString(kid); }
            w.WriteEndMap();
        });
    }

    private byte[] EncodeClaims() => Cbor(w =>
    {
        w.WriteStartMap(null);
        w.WriteInt32(CwtClaimKeys.Issuer); w.WriteTextString("VN");
        if (ExpiresAt is { } exp) { w.WriteInt32(CwtClaimKeys.Expiry); w.WriteInt64(exp.ToUnixTimeSeconds()); }
        if (IssuedAt is { } iat)
        {
            w.WriteInt32(CwtClaimKeys.IssuedAt);
            if (IssuedAtAsText) w.WriteTextString(iat.ToString("O"));
            else w.WriteInt64(iat.ToUnixTimeSeconds());
        }
        if (!OmitHcert)
        {
            w.WriteInt32(CwtClaimKeys.HealthCertificate);
            w.WriteStartMap(1);
            w.WriteInt32(CwtClaimKeys.EuDcc);
            w.WriteEncodedValue(DccCbor);
            w.WriteEndMap();
        }
        w.WriteEndMap();
    });
}

/// <summary>The generator's fixed clock: every vector is issued and checked at these instants.</summary>
public static class GenerationClock
{
    /// <summary>iat of every certificate (inside the dev DSCs' 2024–2030 validity).</summary>
    public static readonly DateTimeOffset IssuedAt = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>exp: iat + 12 months, as Hc1Issuer's default validity gives.</summary>
    public static readonly DateTimeOffset ExpiresAt = IssuedAt.AddMonths(12);

    /// <summary>TESTCTX.VALIDATIONCLOCK of every vector unless the vector is about time.</summary>
    public static readonly DateTimeOffset ValidationClock = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
}
