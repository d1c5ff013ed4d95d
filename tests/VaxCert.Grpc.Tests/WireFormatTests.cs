using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Tests.Proto;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Tests;

/// <summary>Framing, grpc-timeout, grpc-message encoding and status mapping, without a server.</summary>
public class WireFormatTests
{
    private static byte[] Frame(IMessage m) => LengthPrefixedFraming.ToFrame(m);

    private static byte[] Prefix(byte flag, uint length)
    {
        var prefix = new byte[5];
        prefix[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), length);
        return prefix;
    }

    [Fact]
    public void Frame_layout_is_flag_then_big_endian_length_then_payload()
    {
        var message = new EchoReply { Text = "echo: hi" };
        var frame = Frame(message);
        // The wire notes show this exact frame as captured by curl: 00 0000000a 0a086563686f3a206869.
        Assert.Equal("000000000A0A086563686F3A206869", Convert.ToHexString(frame));
    }

    [Fact]
    public void Several_messages_in_one_buffer_are_read_one_by_one()
    {
        var bytes = Frame(new EchoReply { Text = "a" }).Concat(Frame(new EchoReply { Text = "bb" })).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameReadStatus.Complete, LengthPrefixedFraming.TryReadFrame(ref buffer, 100, out var first));
        Assert.Equal(FrameReadStatus.Complete, LengthPrefixedFraming.TryReadFrame(ref buffer, 100, out var second));
        Assert.Equal(FrameReadStatus.Incomplete, LengthPrefixedFraming.TryReadFrame(ref buffer, 100, out _));
        Assert.Equal("a", EchoReply.Parser.ParseFrom(first).Text);
        Assert.Equal("bb", EchoReply.Parser.ParseFrom(second).Text);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Partial_frame_consumes_nothing()
    {
        var frame = Frame(new EchoReply { Text = "hello" });
        for (var cut = 0; cut < frame.Length; cut++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, cut);
            Assert.Equal(FrameReadStatus.Incomplete, LengthPrefixedFraming.TryReadFrame(ref buffer, 100, out _));
            Assert.Equal(cut, buffer.Length);
        }
    }

    [Fact]
    public void Oversized_length_is_refused_from_the_prefix_alone()
    {
        var buffer = new ReadOnlySequence<byte>(Prefix(0, uint.MaxValue));
        Assert.Equal(FrameReadStatus.TooLarge, LengthPrefixedFraming.TryReadFrame(ref buffer, 1024, out _));
    }

    [Fact]
    public void Message_exactly_at_the_cap_is_accepted()
    {
        var bytes = Prefix(0, 3).Concat(new byte[] { 1, 2, 3 }).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameReadStatus.Complete, LengthPrefixedFraming.TryReadFrame(ref buffer, 3, out var payload));
        Assert.Equal(3, payload.Length);
    }

    [Theory]
    [InlineData(1, FrameReadStatus.Compressed)]
    [InlineData(2, FrameReadStatus.InvalidFlag)]
    [InlineData(0x80, FrameReadStatus.InvalidFlag)]
    public void Flag_byte_other_than_zero_is_refused(byte flag, FrameReadStatus expected)
    {
        var buffer = new ReadOnlySequence<byte>(Prefix(flag, 0));
        Assert.Equal(expected, LengthPrefixedFraming.TryReadFrame(ref buffer, 100, out _));
    }

    [Fact]
    public void Reader_reassembles_messages_whatever_the_chunking()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(
            Gen.ListOf(Gen.Elements("", "x", "ünï ✓", new string('z', 300))).ToArbitrary(),
            Gen.Choose(1, 17).ToArbitrary(),
            (texts, chunk) =>
            {
                var bytes = texts.SelectMany(t => Frame(new EchoReply { Text = t })).ToArray();
                var read = ReadThroughPipe(bytes, chunk).GetAwaiter().GetResult();
                return read.SequenceEqual(texts);
            }));
    }

    [Fact]
    public async Task Reader_reports_truncated_stream_as_internal()
    {
        var frame = Frame(new EchoReply { Text = "cut short" });
        var error = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadThroughPipe(frame[..^2], 4));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task Single_message_reader_refuses_none_and_two()
    {
        var none = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadSingle([]));
        var two = await Assert.ThrowsAsync<GrpcStatusException>(() =>
            ReadSingle(Frame(new EchoReply()).Concat(Frame(new EchoReply())).ToArray()));
        Assert.Equal(StatusCode.Internal, none.StatusCode);
        Assert.Equal(StatusCode.Internal, two.StatusCode);
    }

    [Fact]
    public async Task Garbage_payload_is_internal_not_an_escaping_exception()
    {
        var bytes = Prefix(0, 3).Concat(new byte[] { 0xFF, 0xFF, 0xFF }).ToArray();
        var error = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadSingle(bytes));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    private static async Task<EchoReply> ReadSingle(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        return await MessageStreamReader.ReadSingleAsync(pipe.Reader, EchoReply.Parser, 1000);
    }

    private static async Task<List<string>> ReadThroughPipe(byte[] bytes, int chunk)
    {
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += chunk)
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            await pipe.Writer.CompleteAsync();
        });
        var texts = new List<string>();
        await foreach (var m in MessageStreamReader.ReadAllAsync(pipe.Reader, EchoReply.Parser, 10_000))
            texts.Add(m.Text);
        await writing;
        return texts;
    }

    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("5S", 50_000_000L)]
    [InlineData("200m", 2_000_000L)]
    [InlineData("300u", 3_000L)]
    [InlineData("1000n", 10L)]
    [InlineData("1n", 1L)]
    [InlineData("0m", 0L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void Timeout_units_parse(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData(" 1S")]
    [InlineData("1.5S")]
    public void Malformed_timeouts_are_refused(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Fact]
    public void Formatted_timeout_parses_back_never_shorter()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(Gen.Choose(1, int.MaxValue).Select(n => (long)n * 997).ToArbitrary(), ticks =>
        {
            var header = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
            return header.Length <= 9 && GrpcTimeout.TryParse(header, out var back) && back.Ticks >= ticks;
        }));
    }

    [Fact]
    public void Whole_milliseconds_format_as_m() => Assert.Equal("200m", GrpcTimeout.Format(TimeSpan.FromMilliseconds(200)));

    [Fact]
    public void Message_encoding_matches_the_captured_wire_form()
    {
        // From the wire notes: what grpc servers put on the wire for this text, decoded identically by python and node.
        const string text = "text must not be empty – ünïcode ✓ 100%";
        const string wire = "text must not be empty %E2%80%93 %C3%BCn%C3%AFcode %E2%9C%93 100%25";
        Assert.Equal(wire, GrpcMessageEncoding.Encode(text));
        Assert.Equal(text, GrpcMessageEncoding.Decode(wire));
    }

    [Fact]
    public void Message_encoding_round_trips_and_stays_printable_ascii()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(ArbMap.Default.ArbFor<string>().Filter(s => s is not null && IsWellFormed(s)), text =>
        {
            var encoded = GrpcMessageEncoding.Encode(text);
            return encoded.All(c => c is >= ' ' and <= '~') && GrpcMessageEncoding.Decode(encoded) == text;
        }));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz and %4", "%zz and %4")]
    [InlineData("%41%4", "A%4")]
    [InlineData("%FF", "\uFFFD")]
    public void Message_decoding_is_lenient(string wire, string expected) =>
        Assert.Equal(expected, GrpcMessageEncoding.Decode(wire));

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(415, StatusCode.Unknown)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    public void Http_status_maps_to_grpc_status(int http, StatusCode expected) =>
        Assert.Equal(expected, HttpStatusMapping.ToStatusCode((HttpStatusCode)http));

    [Theory]
    [InlineData("AQID", new byte[] { 1, 2, 3 })]
    [InlineData("AQIDBA", new byte[] { 1, 2, 3, 4 })]
    [InlineData("AQIDBA==", new byte[] { 1, 2, 3, 4 })]
    public void Binary_metadata_accepts_padded_and_unpadded(string value, byte[] expected)
    {
        Assert.True(BinaryHeader.TryDecode(value, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Binary_metadata_is_emitted_unpadded() => Assert.Equal("AQIDBA", BinaryHeader.Encode([1, 2, 3, 4]));

    [Fact]
    public void Status_details_carry_reason_and_field_as_google_rpc_error_info()
    {
        var encoded = StatusDetailsCodec.Encode(new GrpcStatus(StatusCode.InvalidArgument, "bad", "DOSE_NUMBER_OUT_OF_RANGE", "dose_number"));
        // Decode with the generated google.rpc types, as any other stack would.
        Assert.True(BinaryHeader.TryDecode(encoded, out var bytes));
        var status = Google.Rpc.Status.Parser.ParseFrom(bytes);
        Assert.Equal(3, status.Code);
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", status.Details.Single().TypeUrl);
        var info = status.Details.Single().Unpack<Google.Rpc.ErrorInfo>();
        Assert.Equal(("DOSE_NUMBER_OUT_OF_RANGE", "dose_number"), (info.Reason, info.Metadata["field"]));
        Assert.Equal(("DOSE_NUMBER_OUT_OF_RANGE", "dose_number"), StatusDetailsCodec.Decode(encoded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("!!not base64!!")]
    [InlineData("AQID")]
    public void Unreadable_status_details_are_ignored(string? value) => Assert.Equal((null, null), StatusDetailsCodec.Decode(value));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("Application/GRPC", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Grpc_content_types_are_recognised(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }
}
