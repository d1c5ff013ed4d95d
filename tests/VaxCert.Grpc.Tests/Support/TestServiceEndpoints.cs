using Google.Protobuf;
using Microsoft.AspNetCore.Routing;
using VaxCert.Grpc.Server;
using VaxCert.Grpc.Tests.Proto;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>The test service's handlers, mapped with the wire layer's public API exactly as a real service would be.</summary>
public static class TestServiceEndpoints
{
    public const string Prefix = "/vaxcert.test.TestService/";
    public const string MetadataKey = "x-facility";

    public static void Map(IEndpointRouteBuilder app, CallProbes probes)
    {
        app.MapGrpcUnary<EchoRequest, EchoReply>(Prefix + "Echo",
            (request, _) => Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload }));
        app.MapGrpcUnary<FailRequest, EchoReply>(Prefix + "Fail", (request, _) =>
            throw new GrpcStatusException((StatusCode)request.Code, request.Message,
                request.Reason.Length > 0 ? request.Reason : null, request.Field.Length > 0 ? request.Field : null));
        app.MapGrpcUnary<SlowRequest, EchoReply>(Prefix + "Slow", (request, context) => SlowAsync(request, context, probes));
        app.MapGrpcServerStreaming<CountRequest, CountReply>(Prefix + "Count",
            (request, writer, context) => CountAsync(request, writer, context, probes));
        app.MapGrpcUnary<EchoRequest, WhoAmIReply>(Prefix + "WhoAmI", (_, context) => Task.FromResult(new WhoAmIReply
        {
            Peer = context.Peer,
            ClientSubject = context.ClientCertificate?.Subject ?? "",
            MetadataValue = context.GetHeader(MetadataKey) ?? "",
        }));
        app.MapGrpcUnary<EchoRequest, EchoReply>(Prefix + "Throw",
            (request, _) => throw new InvalidOperationException("boom: " + request.Text));
    }

    private static async Task<EchoReply> SlowAsync(SlowRequest request, GrpcCallContext context, CallProbes probes)
    {
        probes.MarkStarted(request.Tag);
        try
        {
            var token = request.IgnoreCancellation ? CancellationToken.None : context.CancellationToken;
            await Task.Delay(request.DelayMs, token);
        }
        catch (OperationCanceledException)
        {
            probes.MarkCancelled(request.Tag);
            throw;
        }
        return new EchoReply { Text = request.Tag };
    }

    private static async Task CountAsync(CountRequest request, GrpcStreamWriter<CountReply> writer, GrpcCallContext context,
        CallProbes probes)
    {
        probes.MarkStarted(request.Tag);
        for (var i = 1; i <= request.Count; i++)
        {
            if (request.StopAfter > 0 && i > request.StopAfter)
                break;
            await writer.WriteAsync(new CountReply { Number = i });
        }
        if (request.StopAfter > 0 && request.FailCode != 0)
            throw new GrpcStatusException((StatusCode)request.FailCode, $"failed after {request.StopAfter} messages");
        if (request.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                probes.MarkCancelled(request.Tag);
                throw;
            }
        }
    }

    /// <summary>A payload of <paramref name="size"/> bytes that compresses well (for the gzip interop case).</summary>
    public static ByteString Payload(int size) => ByteString.CopyFrom(Enumerable.Repeat((byte)'a', size).ToArray());
}
