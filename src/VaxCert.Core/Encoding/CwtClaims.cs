using System.Formats.Cbor;

namespace VaxCert.Core.Encoding;

/// <summary>
/// CWT claim keys used by hcert and VaxCert. Private claims use integers below -65536, the range RFC 8392 reserves for
/// private use, so they never collide with registered claims. Documented in docs/format.md.
/// </summary>
public static class CwtClaimKeys
{
    public const int Issuer = 1;
    public const int Expiry = 4;
    public const int IssuedAt = 6;
    public const int HealthCertificate = -260;
    /// <summary>Key 1 inside the hcert claim: the EU DCC (eu_dgc_v1).</summary>
    public const int EuDcc = 1;
    /// <summary>VaxCert private claim: the holder's nationality (ISO 3166-1 alpha-2 text). Decision 5772 field 3.</summary>
    public const int Nationality = -65537;
    /// <summary>VaxCert private claim: the vaccination facility's co-signature over the certificate content.</summary>
    public const int FacilityAttestation = -65538;
}

/// <summary>The claims of a decoded CWT, as received. <see cref="DccPayload"/> is the raw CBOR under -260 → 1.</summary>
public sealed record CwtClaims
{
    public string? Issuer { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public ReadOnlyMemory<byte> DccPayload { get; init; }
    public string? Nationality { get; init; }
    /// <summary>The raw CBOR of the facility attestation claim, when present.</summary>
    public ReadOnlyMemory<byte>? FacilityAttestation { get; init; }

    /// <summary>Parses the COSE payload; never throws. iat/exp may be integers or floats (some issuers send floats).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, out CwtClaims? claims, out DecodeFailure failure, CborLimits? limits = null)
    {
        limits ??= CborLimits.Default;
        claims = null;
        try
        {
            var r = new CborReader(payload, CborConformanceMode.Lax);
            if (r.PeekState() != CborReaderState.StartMap) { failure = DecodeFailure.CwtInvalid; return false; }
            r.ReadStartMap();
            string? iss = null, nationality = null;
            DateTimeOffset? iat = null, exp = null;
            ReadOnlyMemory<byte>? dcc = null, facility = null;
            var seen = new HashSet<long>();
            var entries = 0;
            while (r.PeekState() != CborReaderState.EndMap)
            {
                if (++entries > limits.MaxContainerItems) { failure = DecodeFailure.CwtInvalid; return false; }
                if (r.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
                {
                    r.SkipValue(); r.SkipValue(); // text-keyed claims are not ours; ignore them
                    continue;
                }
                var key = r.ReadInt64();
                if (!seen.Add(key)) { failure = DecodeFailure.CwtInvalid; return false; }
                switch (key)
                {
                    case CwtClaimKeys.Issuer:
                        if (!CborText.TryRead(r, out var issuer)) { failure = DecodeFailure.CwtClaimInvalid; return false; }
                        iss = issuer;
                        break;
                    case CwtClaimKeys.IssuedAt:
                        if (!TryReadNumericDate(r, out var i)) { failure = DecodeFailure.CwtClaimInvalid; return false; }
                        iat = i;
                        break;
                    case CwtClaimKeys.Expiry:
                        if (!TryReadNumericDate(r, out var e)) { failure = DecodeFailure.CwtClaimInvalid; return false; }
                        exp = e;
                        break;
                    case CwtClaimKeys.HealthCertificate:
                        if (!TryReadHcert(r, out var d)) { failure = DecodeFailure.HcertMissing; return false; }
                        dcc = d;
                        break;
                    case CwtClaimKeys.Nationality:
                        if (!CborText.TryRead(r, out var country)) { failure = DecodeFailure.CwtClaimInvalid; return false; }
                        nationality = country;
                        break;
                    case CwtClaimKeys.FacilityAttestation:
                        facility = r.ReadEncodedValue();
                        break;
                    default:
                        r.SkipValue();
                        break;
                }
            }
            r.ReadEndMap();
            if (r.BytesRemaining != 0) { failure = DecodeFailure.CwtInvalid; return false; }
            if (dcc is null) { failure = DecodeFailure.HcertMissing; return false; }
            claims = new CwtClaims
            {
                Issuer = iss, IssuedAt = iat, ExpiresAt = exp, DccPayload = dcc.Value,
                Nationality = nationality, FacilityAttestation = facility,
            };
            failure = DecodeFailure.None;
            return true;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            failure = DecodeFailure.CwtInvalid;
            return false;
        }
    }

    // DateTimeOffset's range: 0001-01-01 to 9999-12-31T23:59:59Z.
    private const long MinUnixSeconds = -62135596800;
    private const long MaxUnixSeconds = 253402300799;

    private static bool TryReadNumericDate(CborReader r, out DateTimeOffset value)
    {
        value = default;
        if (r.PeekState() == CborReaderState.Tag && r.ReadTag() != CborTag.UnixTimeSeconds) return false;
        switch (r.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            {
                // Unsigned reads never overflow, so a 64-bit value is a claim out of range, not a broken CWT.
                var seconds = r.ReadUInt64();
                if (seconds > MaxUnixSeconds) return false;
                value = DateTimeOffset.FromUnixTimeSeconds((long)seconds);
                return true;
            }
            case CborReaderState.NegativeInteger:
            {
                var n = r.ReadCborNegativeIntegerRepresentation(); // the value is -1 - n
                if (n > -1 - MinUnixSeconds) return false;
                value = DateTimeOffset.FromUnixTimeSeconds(-1 - (long)n);
                return true;
            }
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
            {
                var d = r.ReadDouble();
                if (!double.IsFinite(d) || d < MinUnixSeconds || d > MaxUnixSeconds) return false;
                value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(d * 1000));
                return true;
            }
            default:
                return false;
        }
    }

    private static bool TryReadHcert(CborReader r, out ReadOnlyMemory<byte> dcc)
    {
        dcc = default;
        if (r.PeekState() != CborReaderState.StartMap) return false;
        r.ReadStartMap();
        var found = false;
        while (r.PeekState() != CborReaderState.EndMap)
        {
            if (r.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)
            {
                var k = r.ReadInt64();
                if (k == CwtClaimKeys.EuDcc && !found)
                {
                    dcc = r.ReadEncodedValue();
                    found = true;
                    continue;
                }
                if (k == CwtClaimKeys.EuDcc) return false; // duplicate
                r.SkipValue();
            }
            else
            {
                r.SkipValue(); r.SkipValue();
            }
        }
        r.ReadEndMap();
        return found;
    }
}
