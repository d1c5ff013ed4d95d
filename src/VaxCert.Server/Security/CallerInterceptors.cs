using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.V1;

namespace VaxCert.Server.Security;

/// <summary>The caller of the current call, as <see cref="CallerAuthenticationInterceptor"/> resolved it.</summary>
public static class CallerContext
{
    private const string Key = "vaxcert.caller";

    /// <summary>The authenticated caller. Every service behind the interceptor has one; a missing one is a wiring bug.</summary>
    public static Caller Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) && caller is Caller known ? known
            : throw new InvalidOperationException("no authenticated caller: CallerAuthenticationInterceptor is not installed");

    internal static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[Key] = caller;
}

/// <summary>
/// Authenticates every call of every service (Issuer, Health, reflection) from its TLS client certificate:
/// no certificate where one is required is UNAUTHENTICATED, a certificate that matches no configured caller is
/// PERMISSION_DENIED (UNKNOWN_CALLER). The TLS layer has already refused certificates from other CAs.
/// </summary>
public sealed class CallerAuthenticationInterceptor(CallerDirectory callers, ILogger<CallerAuthenticationInterceptor> log) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var (resolution, caller) = callers.Resolve(context.GetHttpContext().Connection.ClientCertificate);
        switch (resolution)
        {
            case CallerResolution.Unauthenticated:
                throw GrpcErrors.Create(StatusCode.Unauthenticated, "a client certificate is required", "UNAUTHENTICATED");
            case CallerResolution.UnknownCertificate:
                log.LogWarning("Refused a client certificate that matches no configured caller ({Method}, peer {Peer})", context.Method, context.Peer);
                throw GrpcErrors.Create(StatusCode.PermissionDenied, "this client certificate is not registered as a caller", "UNKNOWN_CALLER");
        }
        context.SetCaller(caller!);
    }
}

/// <summary>
/// One token bucket per caller: every call costs 1, an IssueBatch its record count (so a batch is paid for before any
/// record is signed). An empty bucket is RESOURCE_EXHAUSTED (RATE_LIMITED). Runs after authentication.
/// </summary>
public sealed class RateLimitInterceptor(CallerRateLimiter limiter) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Acquire(context, CostOf(request));
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Acquire(context, CostOf(request));
        return continuation(request, responseStream, context);
    }

    private static int CostOf(object? request) => request is IssueBatchRequest batch ? Math.Max(1, batch.Records.Count) : 1;

    private void Acquire(ServerCallContext context, int cost)
    {
        if (!limiter.TryAcquire(context.Caller().Name, cost))
            throw GrpcErrors.Create(StatusCode.ResourceExhausted,
                cost > limiter.Capacity ? $"request needs {cost} rate tokens, the bucket holds {limiter.Capacity}" : "rate limit exceeded; retry later",
                "RATE_LIMITED");
    }
}
