using Grpc.Core;
using Microsoft.AspNetCore.Http;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.Tests.Proto;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>The test service on grpc-dotnet, failing through VaxCert's status contract exactly as the issuer does.</summary>
public sealed class TestServiceImpl(CallProbes probes) : TestService.TestServiceBase
{
    public const string MetadataKey = "x-facility";

    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });

    public override Task<EchoReply> Fail(FailRequest request, ServerCallContext context) =>
        throw GrpcErrors.Create((StatusCode)request.Code, request.Message,
            request.Reason.Length > 0 ? request.Reason : null, request.Field.Length > 0 ? request.Field : null);

    public override async Task<EchoReply> Slow(SlowRequest request, ServerCallContext context)
    {
        probes.MarkStarted(request.Tag);
        try
        {
            await Task.Delay(request.DelayMs, request.IgnoreCancellation ? CancellationToken.None : context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probes.MarkCancelled(request.Tag);
            throw;
        }
        return new EchoReply { Text = request.Tag };
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<CountReply> responseStream, ServerCallContext context)
    {
        probes.MarkStarted(request.Tag);
        for (var i = 1; i <= request.Count && (request.StopAfter == 0 || i <= request.StopAfter); i++)
            await responseStream.WriteAsync(new CountReply { Number = i });
        if (request.StopAfter > 0 && request.FailCode != 0)
            throw GrpcErrors.Create((StatusCode)request.FailCode, $"failed after {request.StopAfter} messages");
        if (!request.Hang)
            return;
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

    public override Task<WhoAmIReply> WhoAmI(EchoRequest request, ServerCallContext context) => Task.FromResult(new WhoAmIReply
    {
        Peer = context.Peer,
        ClientSubject = context.GetHttpContext().Connection.ClientCertificate?.Subject ?? "",
        MetadataValue = context.RequestHeaders.GetValue(MetadataKey) ?? "",
    });

    public override Task<EchoReply> Throw(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException("boom: " + request.Text);
}
