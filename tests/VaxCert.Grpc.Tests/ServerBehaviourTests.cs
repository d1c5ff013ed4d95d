using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using Grpc.Health.V1;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Tests.Proto;
using VaxCert.Grpc.Tests.Support;
using VaxCert.Grpc.Wire;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace VaxCert.Grpc.Tests;

/// <summary>The wire layer end to end: a real Kestrel host on a loopback port, our client and hand-made HTTP/2 requests.</summary>
public class ServerBehaviourTests(CleartextHostFixture fixture) : IClassFixture<CleartextHostFixture>
{
    private const string P = TestServiceEndpoints.Prefix;
    private LoopbackGrpcHost Host => fixture.Host;

    private Task<TResp> Unary<TReq, TResp>(string method, TReq request, DateTimeOffset? deadline = null,
        CancellationToken ct = default) where TReq : IMessage<TReq> where TResp : IMessage<TResp>, new() =>
        fixture.Client.UnaryAsync<TReq, TResp>(P + method, request, deadline, cancellationToken: ct);

    private async Task<GrpcCallException> Failing<TReq>(string method, TReq request, DateTimeOffset? deadline = null,
        CancellationToken ct = default) where TReq : IMessage<TReq> =>
        await Assert.ThrowsAsync<GrpcCallException>(() => Unary<TReq, EchoReply>(method, request, deadline, ct));

    private static byte[] Prefix(byte flag, uint length)
    {
        var prefix = new byte[5];
        prefix[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), length);
        return prefix;
    }

    [Fact]
    public async Task Unary_call_round_trips_text_and_bytes()
    {
        var reply = await Unary<EchoRequest, EchoReply>("Echo",
            new EchoRequest { Text = "Nguyễn Thị Minh Khai ✓", Payload = ByteString.CopyFrom(1, 2, 3) });
        Assert.Equal("Nguyễn Thị Minh Khai ✓", reply.Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
    }

    [Fact]
    public async Task Success_sends_grpc_status_zero_in_trailers_after_the_message()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", LengthPrefixedFraming.ToFrame(new EchoRequest { Text = "hi" }));
        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.Equal(LengthPrefixedFraming.ToFrame(new EchoReply { Text = "hi" }), response.Body);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.DataLoss)]
    public async Task Handler_status_reaches_the_client(StatusCode code)
    {
        var error = await Failing("Fail", new FailRequest { Code = (int)code, Message = $"failing with {code}" });
        Assert.Equal(code, error.StatusCode);
        Assert.Equal($"failing with {code}", error.StatusMessage);
    }

    [Fact]
    public async Task Non_ascii_status_message_round_trips_exactly()
    {
        const string text = "họ tên không hợp lệ – ünïcode ✓ 100% 🙂";
        var error = await Failing("Fail", new FailRequest { Code = 3, Message = text });
        Assert.Equal(text, error.StatusMessage);
    }

    [Fact]
    public async Task Error_before_any_message_is_trailers_only_with_percent_encoded_message()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Fail",
            LengthPrefixedFraming.ToFrame(new FailRequest { Code = 3, Message = "– ✓ 100%" }));
        Assert.True(response.IsTrailersOnly, $"{response.HttpStatus} H:{string.Join(";", response.Headers)} T:{string.Join(";", response.Trailers)} B:{response.Body.Length}");
        Assert.Equal("3", response.Headers["grpc-status"]);
        Assert.Equal("%E2%80%93 %E2%9C%93 100%25", response.Headers["grpc-message"]);
        Assert.Empty(response.Trailers);
    }

    [Fact]
    public async Task Reason_and_field_travel_in_status_details()
    {
        var error = await Failing("Fail", new FailRequest { Code = 3, Message = "dose", Reason = "DOSE_NUMBER_OUT_OF_RANGE", Field = "dose_number" });
        Assert.Equal(("DOSE_NUMBER_OUT_OF_RANGE", "dose_number"), (error.Status.Reason, error.Status.Field));
    }

    [Fact]
    public async Task Unexpected_exception_is_internal_with_a_generic_message()
    {
        var error = await Failing("Throw", new EchoRequest { Text = "PIN=123456" });
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("internal error", error.StatusMessage);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var error = await Failing("NoSuchMethod", new EchoRequest());
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        var other = await Assert.ThrowsAsync<GrpcCallException>(() =>
            fixture.Client.UnaryAsync<EchoRequest, EchoReply>("/other.Service/Echo", new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, other.StatusCode);
    }

    [Fact]
    public async Task Method_paths_are_case_sensitive()
    {
        var error = await Assert.ThrowsAsync<GrpcCallException>(() =>
            fixture.Client.UnaryAsync<EchoRequest, EchoReply>("/vaxcert.test.testservice/echo", new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Wrong_content_type_is_plain_http_415()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", LengthPrefixedFraming.ToFrame(new EchoRequest()), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Null(response.GrpcStatus);
    }

    [Fact]
    public async Task Missing_te_trailers_is_refused()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", LengthPrefixedFraming.ToFrame(new EchoRequest()), teTrailers: false);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Compressed_flag_is_unimplemented()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var body = Prefix(1, 3).Concat(new byte[] { 1, 2, 3 }).ToArray();
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", body, headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal("identity", response.Headers["grpc-accept-encoding"]);
    }

    [Fact]
    public async Task Oversized_message_is_resource_exhausted()
    {
        var payload = TestServiceEndpoints.Payload(LoopbackGrpcHost.MaxReceiveMessageSize + 1);
        var error = await Failing("Echo", new EchoRequest { Payload = payload });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Oversized_prefix_is_refused_before_the_body_arrives()
    {
        // Only the 5-byte prefix is sent and the request stream stays open: an answer proves the server decided from the
        // prefix alone, without waiting for (or allocating) the announced 2 GiB.
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var content = new RawGrpcCall.HeldOpenContent(Prefix(0, int.MaxValue));
        // The guard turns a server that waits for the body into a failure instead of a hang.
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", content).WaitAsync(TimeSpan.FromSeconds(30));
        content.Release();
        Assert.Equal("8", response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
    }

    [Fact]
    public async Task Unary_request_with_two_messages_is_internal()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var frame = LengthPrefixedFraming.ToFrame(new EchoRequest { Text = "x" });
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", frame.Concat(frame).ToArray());
        Assert.Equal("13", response.GrpcStatus);
        var empty = await RawGrpcCall.SendAsync(http, P + "Echo", []);
        Assert.Equal("13", empty.GrpcStatus);
    }

    [Fact]
    public async Task Malformed_grpc_timeout_is_refused()
    {
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Echo", LengthPrefixedFraming.ToFrame(new EchoRequest()),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "soon" });
        Assert.Equal("13", response.GrpcStatus);
    }

    [Theory]
    [InlineData("100m")]
    [InlineData("100000u")]
    [InlineData("99999999n")]
    public async Task Server_enforces_grpc_timeout_and_cancels_the_handler(string timeout)
    {
        // No client-side deadline here: only the header, so the DEADLINE_EXCEEDED can only come from the server.
        var tag = "server-deadline-" + timeout;
        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var response = await RawGrpcCall.SendAsync(http, P + "Slow",
            LengthPrefixedFraming.ToFrame(new SlowRequest { DelayMs = 60_000, Tag = tag }),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = timeout });
        Assert.Equal("4", response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
        Assert.True(Host.Probes.WasCancelled(tag));
    }

    [Fact]
    public async Task Client_enforces_its_deadline_locally()
    {
        // The handler ignores cancellation and would answer OK after 3 s, so the status must be the client's own.
        var error = await Failing("Slow", new SlowRequest { DelayMs = 3_000, IgnoreCancellation = true, Tag = "local-deadline" },
            DateTimeOffset.UtcNow.AddMilliseconds(200));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Expired_deadline_fails_without_reaching_the_server()
    {
        var error = await Failing("Slow", new SlowRequest { DelayMs = 1, Tag = "already-expired" }, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.False(Host.Probes.WasCancelled("already-expired"));
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_handler()
    {
        using var cts = new CancellationTokenSource();
        var call = Failing("Slow", new SlowRequest { DelayMs = 60_000, Tag = "cancel-unary" }, ct: cts.Token);
        await Host.Probes.Started("cancel-unary");
        cts.Cancel();
        var error = await call;
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Host.Probes.Cancelled("cancel-unary");
    }

    [Fact]
    public async Task Server_stream_delivers_every_message_in_order()
    {
        var numbers = new List<int>();
        await foreach (var reply in fixture.Client.ServerStreamingAsync<CountRequest, CountReply>(P + "Count", new CountRequest { Count = 25 }))
            numbers.Add(reply.Number);
        Assert.Equal(Enumerable.Range(1, 25), numbers);
    }

    [Fact]
    public async Task Empty_server_stream_completes_ok()
    {
        var replies = await Collect(new CountRequest { Count = 0 });
        Assert.Empty(replies.Messages);
        Assert.Null(replies.Error);
    }

    [Fact]
    public async Task Error_mid_stream_arrives_after_the_messages_in_trailers()
    {
        var result = await Collect(new CountRequest { Count = 10, StopAfter = 3, FailCode = (int)StatusCode.Unavailable });
        Assert.Equal([1, 2, 3], result.Messages);
        Assert.Equal(StatusCode.Unavailable, result.Error?.StatusCode);
        Assert.Equal("failed after 3 messages", result.Error?.StatusMessage);

        using var http = RawGrpcCall.NewH2cClient(Host.Address);
        var raw = await RawGrpcCall.SendAsync(http, P + "Count",
            LengthPrefixedFraming.ToFrame(new CountRequest { Count = 10, StopAfter = 3, FailCode = 14 }));
        Assert.False(raw.Headers.ContainsKey("grpc-status"));
        Assert.Equal("14", raw.Trailers["grpc-status"]);
    }

    [Fact]
    public async Task Abandoning_a_stream_cancels_the_server_handler()
    {
        await foreach (var reply in fixture.Client.ServerStreamingAsync<CountRequest, CountReply>(P + "Count",
                           new CountRequest { Count = 2, StopAfter = 2, Hang = true, Tag = "abandon-stream" }))
        {
            Assert.Equal(1, reply.Number);
            break; // disposing the enumerator resets the stream
        }
        await Host.Probes.Cancelled("abandon-stream");
    }

    [Fact]
    public async Task Stream_deadline_ends_a_hanging_stream_with_deadline_exceeded()
    {
        // The handler hangs forever after two messages; the deadline leaves room to deliver them on a loaded machine.
        var result = await Collect(new CountRequest { Count = 2, StopAfter = 2, Hang = true, Tag = "stream-deadline" },
            DateTimeOffset.UtcNow.AddSeconds(3));
        Assert.Equal([1, 2], result.Messages);
        Assert.Equal(StatusCode.DeadlineExceeded, result.Error?.StatusCode);
        await Host.Probes.Cancelled("stream-deadline");
    }

    [Fact]
    public async Task Concurrent_calls_do_not_mix_up_responses()
    {
        var calls = Enumerable.Range(0, 200).Select(async i =>
        {
            var reply = await Unary<EchoRequest, EchoReply>("Echo", new EchoRequest { Text = $"call {i}", Payload = TestServiceEndpoints.Payload(i * 50) });
            return (i, reply);
        });
        foreach (var (i, reply) in await Task.WhenAll(calls))
        {
            Assert.Equal($"call {i}", reply.Text);
            Assert.Equal(i * 50, reply.Payload.Length);
        }
    }

    [Fact]
    public async Task Handler_sees_metadata_and_peer()
    {
        var reply = await fixture.Client.UnaryAsync<EchoRequest, WhoAmIReply>(P + "WhoAmI", new EchoRequest(),
            metadata: [new(TestServiceEndpoints.MetadataKey, "79-HCM-0123")]);
        Assert.Equal("79-HCM-0123", reply.MetadataValue);
        Assert.StartsWith("127.0.0.1:", reply.Peer);
        Assert.Equal("", reply.ClientSubject);
    }

    [Fact]
    public async Task Reserved_metadata_names_are_a_programmer_error()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.UnaryAsync<EchoRequest, EchoReply>(P + "Echo",
            new EchoRequest(), metadata: [new("grpc-status", "0")]));
    }

    [Fact]
    public async Task Health_check_answers_serving_not_serving_and_not_found()
    {
        Host.Health.SetStatus("vaxcert.v1.Issuer", ServingStatus.NotServing);
        var overall = await fixture.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(
            "/grpc.health.v1.Health/Check", new HealthCheckRequest());
        var issuer = await fixture.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(
            "/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "vaxcert.v1.Issuer" });
        var unknown = await Assert.ThrowsAsync<GrpcCallException>(() => fixture.Client.UnaryAsync<HealthCheckRequest, HealthCheckResponse>(
            "/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "nope" }));
        Assert.Equal(ServingStatus.Serving, overall.Status);
        Assert.Equal(ServingStatus.NotServing, issuer.Status);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Server_that_is_gone_is_unavailable()
    {
        using var client = new GrpcClient(new Uri("http://127.0.0.1:1"));
        var error = await Assert.ThrowsAsync<GrpcCallException>(() =>
            client.UnaryAsync<EchoRequest, EchoReply>(P + "Echo", new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private async Task<(List<int> Messages, GrpcCallException? Error)> Collect(CountRequest request, DateTimeOffset? deadline = null)
    {
        var messages = new List<int>();
        try
        {
            await foreach (var reply in fixture.Client.ServerStreamingAsync<CountRequest, CountReply>(P + "Count", request, deadline))
                messages.Add(reply.Number);
            return (messages, null);
        }
        catch (GrpcCallException e)
        {
            return (messages, e);
        }
    }
}
