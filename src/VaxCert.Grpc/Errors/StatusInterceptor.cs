using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace VaxCert.Grpc.Errors;

/// <summary>Turns an exception a service knows how to classify (e.g. "the ledger is down") into a status.</summary>
public interface IExceptionStatusMap
{
    /// <summary>The status for <paramref name="exception"/>, or null when this map does not know it.</summary>
    RpcException? TryMap(Exception exception);
}

/// <summary>
/// The outermost server interceptor: a handler's <see cref="RpcException"/> passes unchanged; an exception an
/// <see cref="IExceptionStatusMap"/> classifies becomes its status (logged); anything else is logged and becomes
/// INTERNAL "internal error" (grpc-dotnet would answer UNKNOWN). Exception text never reaches the client.
/// </summary>
public sealed class StatusInterceptor(ILogger<StatusInterceptor> log, IEnumerable<IExceptionStatusMap> maps) : Interceptor
{
    /// <summary>The message of every unexpected failure.</summary>
    public const string InternalMessage = "internal error";

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    // Null: rethrow unchanged (a status already, or cancellation by the client or the deadline, which grpc-dotnet answers).
    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException || (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
            return null;
        foreach (var map in maps)
        {
            if (map.TryMap(exception) is { } mapped)
            {
                log.LogError(exception, "{Method} failed: {Code}", context.Method, mapped.StatusCode);
                return mapped;
            }
        }
        log.LogError(exception, "{Method} failed with an unexpected exception", context.Method);
        return GrpcErrors.Create(StatusCode.Internal, InternalMessage);
    }
}
