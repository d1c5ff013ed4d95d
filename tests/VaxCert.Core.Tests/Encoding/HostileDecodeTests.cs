using System.Formats.Cbor;
using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;

namespace VaxCert.Core.Tests.Encoding;

/// <summary>
/// Issue 12 at the decoder: strict UTF-8, no byte strings as text, crit (RFC 9052 §3.1), CWT dates that are no instant,
/// and records only from real dates and whole doses. Each failed before its fix.
/// </summary>
public sealed class HostileDecodeTests
{
    private static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }

    private static byte[] Cose(byte[] protectedHeader, Action<CborWriter>? unprotected = null) => Cbor(w =>
    {
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        if (unprotected is null) { w.WriteStartMap(0); w.WriteEndMap(); }
        else unprotected(w);
        w.WriteByteString(Cbor(p => { p.WriteStartMap(1); p.WriteInt32(1); p.WriteTextString("VN"); p.WriteEndMap(); }));
        w.WriteByteString(new byte[64]);
        w.WriteEndArray();
    });

    private static byte[] Header(Action<CborWriter> extra, int extraEntries) => Cbor(w =>
    {
        w.WriteStartMap(2 + extraEntries);
        w.WriteInt32(1); w.WriteInt32(-7);
        w.WriteInt32(4); w.WriteByteString(new byte[8]);
        extra(w);
        w.WriteEndMap();
    });

    private static DecodeFailure DecodeCose(byte[] cose)
    {
        CoseSign1Message.TryDecode(cose, out _, out var failure);
        return failure;
    }

    [Fact]
    public void Unknown_critical_header_is_a_typed_decode_failure()
    {
        var header = Header(w => { w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(33); w.WriteEndArray(); w.WriteInt32(33); w.WriteInt32(0); }, 2);
        Assert.Equal(DecodeFailure.CoseCriticalHeaderUnsupported, DecodeCose(Cose(header)));
    }

    [Fact]
    public void Crit_naming_alg_and_kid_decodes()
    {
        var header = Header(w => { w.WriteInt32(2); w.WriteStartArray(2); w.WriteInt32(1); w.WriteInt32(4); w.WriteEndArray(); }, 1);
        Assert.Equal(DecodeFailure.None, DecodeCose(Cose(header)));
    }

    [Fact]
    public void Crit_outside_the_protected_bucket_or_empty_is_a_header_error()
    {
        var unprotected = Cose(Header(_ => { }, 0), w => { w.WriteStartMap(1); w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(1); w.WriteEndArray(); w.WriteEndMap(); });
        Assert.Equal(DecodeFailure.CoseHeaderInvalid, DecodeCose(unprotected));
        var empty = Header(w => { w.WriteInt32(2); w.WriteStartArray(0); w.WriteEndArray(); }, 1);
        Assert.Equal(DecodeFailure.CoseHeaderInvalid, DecodeCose(Cose(empty)));
        var absent = Header(w => { w.WriteInt32(2); w.WriteStartArray(1); w.WriteInt32(3); w.WriteEndArray(); }, 1);
        Assert.Equal(DecodeFailure.CoseCriticalHeaderUnsupported, DecodeCose(Cose(absent)));
    }

    [Theory]
    [InlineData(new byte[] { 0x62, 0xC3, 0x28 })]             // broken 2-byte sequence
    [InlineData(new byte[] { 0x62, 0xC0, 0xAF })]             // overlong "/"
    [InlineData(new byte[] { 0x63, 0xED, 0xA0, 0x80 })]       // a UTF-16 surrogate encoded in UTF-8
    [InlineData(new byte[] { 0x7F, 0x61, 0xC3, 0xFF })]       // indefinite-length text whose second chunk is invalid
    public void Invalid_utf8_text_is_refused_not_replaced(byte[] encodedText)
    {
        var r = new CborReader(encodedText, CborConformanceMode.Lax);
        Assert.False(CborText.TryRead(r, out _));
        var dcc = Cbor(w => { w.WriteStartMap(1); w.WriteTextString("fn"); w.WriteEncodedValue(encodedText); w.WriteEndMap(); });
        Assert.False(Hc1Decoder.TryReadDcc(dcc, CborLimits.Default, out _, out var failure));
        Assert.Equal(DecodeFailure.CborInvalid, failure);
    }

    [Fact]
    public void Valid_utf8_in_chunks_reads_whole()
    {
        var r = new CborReader(Cbor(w => { w.WriteStartIndefiniteLengthTextString(); w.WriteTextString("Nguy"); w.WriteTextString("ễn"); w.WriteEndIndefiniteLengthTextString(); }),
            CborConformanceMode.Lax);
        Assert.True(CborText.TryRead(r, out var text));
        Assert.Equal("Nguyễn", text);
    }

    [Fact]
    public void A_byte_string_in_the_dcc_is_refused_not_shown_as_base64()
    {
        var dcc = Cbor(w => { w.WriteStartMap(1); w.WriteTextString("ci"); w.WriteByteString("URN"u8); w.WriteEndMap(); });
        Assert.False(Hc1Decoder.TryReadDcc(dcc, CborLimits.Default, out var json, out var failure));
        Assert.Equal(DecodeFailure.DccInvalid, failure);
        Assert.Null(json);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("-infinity")]
    [InlineData("1e300")]
    [InlineData("uint64-max")]
    [InlineData("negative-64-bit")]
    [InlineData("tag-0-text")]
    public void A_cwt_date_that_is_no_instant_is_a_claim_error(string how)
    {
        var payload = Cbor(w =>
        {
            w.WriteStartMap(2);
            w.WriteInt32(6);
            switch (how)
            {
                case "nan": w.WriteDouble(double.NaN); break;
                case "-infinity": w.WriteDouble(double.NegativeInfinity); break;
                case "1e300": w.WriteDouble(1e300); break;
                case "uint64-max": w.WriteUInt64(ulong.MaxValue); break;
                case "negative-64-bit": w.WriteCborNegativeIntegerRepresentation(ulong.MaxValue); break;
                default: w.WriteTag(CborTag.DateTimeString); w.WriteTextString("2021-01-01T00:00:00Z"); break;
            }
            w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteStartMap(0); w.WriteEndMap(); w.WriteEndMap();
            w.WriteEndMap();
        });
        Assert.False(CwtClaims.TryDecode(payload, out _, out var failure));
        Assert.Equal(DecodeFailure.CwtClaimInvalid, failure);
    }

    [Fact]
    public void Cwt_dates_at_the_range_edges_decode()
    {
        var payload = Cbor(w =>
        {
            w.WriteStartMap(3);
            w.WriteInt32(6); w.WriteInt64(-62135596800);
            w.WriteInt32(4); w.WriteInt64(253402300799);
            w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteStartMap(0); w.WriteEndMap(); w.WriteEndMap();
            w.WriteEndMap();
        });
        Assert.True(CwtClaims.TryDecode(payload, out var claims, out _));
        Assert.Equal(DateTimeOffset.MinValue, claims!.IssuedAt);
        Assert.Equal(DateTimeOffset.MaxValue.AddTicks(-(TimeSpan.TicksPerSecond - 1)), claims.ExpiresAt);
    }

    private static JsonObject Vaccination(string dt = "2021-09-14", JsonNode? dn = null, string dob = "1985-04-12") => new()
    {
        ["ver"] = "1.3.3",
        ["nam"] = new JsonObject { ["fn"] = "Phạm", ["fnt"] = "PHAM" },
        ["dob"] = dob,
        ["v"] = new JsonArray(new JsonObject
        {
            ["tg"] = "840539006", ["vp"] = "1119349007", ["mp"] = "EU/1/20/1528", ["ma"] = "ORG-100030215", ["dn"] = dn ?? 1,
            ["sd"] = 2, ["dt"] = dt, ["co"] = "VN", ["is"] = "MoH", ["ci"] = "URN:UVCI:01:VN:X#1",
        }),
    };

    [Theory]
    [InlineData("2021-02-30")]
    [InlineData("")]
    [InlineData("2021-02-14Tnonsense")]
    public void No_record_from_an_impossible_date(string dt) => Assert.Null(DccMapper.TryReadRecord(Vaccination(dt: dt), "VN"));

    [Theory]
    [InlineData(0.9999999999999999)]
    [InlineData(1.5)]
    [InlineData(9.223372036854775807E18)]
    [InlineData(0.0)]
    public void No_record_from_a_dose_that_is_not_a_whole_number_in_range(double dose)
        => Assert.Null(DccMapper.TryReadRecord(Vaccination(dn: JsonValue.Create(dose)), "VN"));

    [Fact]
    public void A_record_from_real_content_including_an_integral_float_and_a_date_time()
    {
        var record = DccMapper.TryReadRecord(Vaccination(dt: "2021-09-14T08:00:00+07:00", dn: JsonValue.Create(1.0)), "VN");
        Assert.NotNull(record);
        Assert.Equal(new DateOnly(2021, 9, 14), record.DateOfVaccination);
        Assert.Equal(1, record.DoseNumber);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("1985", true)]
    [InlineData("1985-04", true)]
    [InlineData("1985-04-12", true)]
    [InlineData("1985-02-30", false)]
    [InlineData("1985-13", false)]
    [InlineData("85-04-12", false)]
    [InlineData("1985-04-12\n", false)]
    public void Birth_dates_in_the_eu_forms(string dob, bool valid) => Assert.Equal(valid, DccDates.IsBirthDate(dob));

    [Theory]
    [InlineData("2021-05-18T10:00:00Z", true)]
    [InlineData("2021-05-18T10:00:00.5+02:00", true)]
    [InlineData("2021-05-18T10:00:00", false)]
    [InlineData("2021-02-30T10:00:00Z", false)]
    [InlineData("2021-05-18T24:00:01Z", false)]
    public void Date_times_need_an_offset_and_a_real_instant(string text, bool valid) => Assert.Equal(valid, DccDates.IsDateTime(text));
}
