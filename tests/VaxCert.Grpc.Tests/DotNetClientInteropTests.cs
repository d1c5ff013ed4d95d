using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.Tests.Proto;
using VaxCert.Grpc.Tests.Support;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace VaxCert.Grpc.Tests;

/// <summary>One cleartext host and one Grpc.Net.Client channel shared by the cases.</summary>
public sealed class CleartextHost : IAsyncLifetime
{
    public LoopbackGrpcHost Host { get; private set; } = null!;
    public GrpcChannel Channel { get; private set; } = null!;
    public TestService.TestServiceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await LoopbackGrpcHost.StartCleartextAsync();
        Channel = GrpcChannels.Create(Host.Address);
        Client = new TestService.TestServiceClient(Channel);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// The same cases as <see cref="PythonInteropTests"/>, through Grpc.Net.Client: statuses and their details, UTF-8
/// messages, size caps both ways, deadlines, cancellation, streams failing part-way, metadata and health.
/// </summary>
public class DotNetClientInteropTests(CleartextHost fixture) : IClassFixture<CleartextHost>
{
    private TestService.TestServiceClient Client => fixture.Client;

    private static DateTime In(double seconds) => DateTime.UtcNow.AddSeconds(seconds);

    [Fact]
    public async Task Unary_ok_round_trips_utf8_and_bytes()
    {
        var reply = await Client.EchoAsync(new EchoRequest { Text = "Nguyễn ✓", Payload = ByteString.CopyFrom(0, 1, 2) }, deadline: In(30));
        Assert.Equal(("Nguyễn ✓", "000102"), (reply.Text, Convert.ToHexString(reply.Payload.ToByteArray())));
    }

    [Fact]
    public async Task Status_message_and_ErrorInfo_details_reach_the_client()
    {
        const string text = "họ tên – ünïcode ✓ 100%";
        var plain = await Assert.ThrowsAsync<RpcException>(() => Client.FailAsync(new FailRequest { Code = 3, Message = text }).ResponseAsync);
        var detailed = await Assert.ThrowsAsync<RpcException>(() => Client.FailAsync(new FailRequest
        {
            Code = 3, Message = "dose", Reason = "DOSE_NUMBER_OUT_OF_RANGE", Field = "dose_number",
        }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, text), (plain.StatusCode, plain.Status.Detail));
        Assert.Equal(((string?)null, (string?)null), GrpcErrors.ReasonOf(plain));
        Assert.Equal(("DOSE_NUMBER_OUT_OF_RANGE", "dose_number"), GrpcErrors.ReasonOf(detailed));
    }

    [Theory]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.NotFound)]
    public async Task Handler_statuses_reach_the_client_unchanged(StatusCode code)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.FailAsync(new FailRequest { Code = (int)code, Message = $"failing {code}" }).ResponseAsync);
        Assert.Equal((code, $"failing {code}"), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task An_unexpected_exception_is_INTERNAL_internal_error_without_its_text()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ThrowAsync(new EchoRequest { Text = "PIN=123456" }).ResponseAsync);
        Assert.Equal((StatusCode.Internal, "internal error"), (error.StatusCode, error.Status.Detail));
        Assert.DoesNotContain("123456", error.ToString());
    }

    [Fact]
    public async Task An_unknown_method_is_UNIMPLEMENTED()
    {
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "vaxcert.test.TestService", "NoSuchMethod",
            Marshallers.Create(m => m.ToByteArray(), EchoRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), EchoReply.Parser.ParseFrom));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: In(30)), new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Messages_over_the_cap_are_RESOURCE_EXHAUSTED_in_both_directions()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[LoopbackGrpcHost.MaxMessageSize + 1]) };
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => Client.EchoAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);

        // The client's own receive cap: the server may send 60 KiB, this client accepts 1 KiB.
        using var small = GrpcChannels.Create(fixture.Host.Address, new GrpcChannelSecurity { MaxReceiveMessageSize = 1024 });
        var reply = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(small)
            .EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[60 * 1024]) }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, reply.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_deadline_is_DEADLINE_EXCEEDED_even_when_the_handler_ignores_its_token(bool ignoreCancellation)
    {
        var tag = "net-deadline-" + ignoreCancellation;
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.SlowAsync(new SlowRequest { DelayMs = 60_000, IgnoreCancellation = ignoreCancellation, Tag = tag }, deadline: In(0.3)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        if (!ignoreCancellation)
            await fixture.Host.Probes.Cancelled(tag);
    }

    [Fact]
    public async Task A_stream_delivers_all_messages_and_an_error_arrives_after_the_messages_sent()
    {
        using var ok = Client.Count(new CountRequest { Count = 5 }, deadline: In(30));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, await ok.ResponseStream.ReadAllAsync().Select(r => r.Number).ToArrayAsync());

        var received = new List<int>();
        using var failing = Client.Count(new CountRequest { Count = 10, StopAfter = 3, FailCode = (int)StatusCode.Unavailable }, deadline: In(30));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var r in failing.ResponseStream.ReadAllAsync())
                received.Add(r.Number);
        });
        Assert.Equal(new[] { 1, 2, 3 }, received);
        Assert.Equal((StatusCode.Unavailable, "failed after 3 messages"), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Cancelling_a_stream_is_CANCELLED_and_reaches_the_handler()
    {
        using var cancel = new CancellationTokenSource();
        using var call = Client.Count(new CountRequest { Count = 1, StopAfter = 1, Hang = true, Tag = "net-cancel" }, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext());
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await fixture.Host.Probes.Cancelled("net-cancel");
    }

    [Fact]
    public async Task The_handler_sees_metadata_and_peer()
    {
        var reply = await Client.WhoAmIAsync(new EchoRequest(), new Metadata { { TestServiceImpl.MetadataKey, "79-HCM-0123" } }, In(30));
        Assert.Equal("79-HCM-0123", reply.MetadataValue);
        Assert.StartsWith("ipv4:127.0.0.1:", reply.Peer);
    }

    [Fact]
    public async Task Health_answers_SERVING_and_NOT_FOUND_for_an_unknown_service()
    {
        var health = new HealthClient(fixture.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }
}
