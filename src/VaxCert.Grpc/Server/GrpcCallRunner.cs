using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>
/// Runs one call: checks the request against the protocol, sets up deadline and cancellation, runs the handler body and
/// turns every outcome, including unexpected exceptions, into a grpc-status. Nothing escapes as an exception.
/// </summary>
internal sealed class GrpcCallRunner(string method, GrpcServerOptions options)
{
    // CancellationTokenSource cannot wait longer than uint.MaxValue - 1 ms; longer deadlines are effectively none.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public GrpcServerOptions Options => options;

    public async Task RunAsync(HttpContext http, Func<GrpcCallContext, Task> body)
    {
        if (RejectBeforeCall(http) is { } rejection)
        {
            if (rejection.Code != StatusCode.OK)
                StatusResponder.TrailersOnly(http.Response, rejection);
            return;
        }
        LimitRequestBody(http);
        var hasTimeout = GrpcTimeout.TryParse(http.Request.Headers[GrpcProtocol.TimeoutHeader], out var timeout);
        using var deadlineSource = hasTimeout && timeout < LongestTimer ? new CancellationTokenSource(timeout) : null;
        using var callSource = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted,
            deadlineSource?.Token ?? CancellationToken.None);
        var context = new GrpcCallContext(http, callSource.Token, deadlineSource is null ? null : DateTimeOffset.UtcNow + timeout);

        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
        GrpcStatus status;
        try
        {
            await body(context).ConfigureAwait(false);
            status = GrpcStatus.Ok;
        }
        catch (GrpcStatusException e)
        {
            status = e.Status;
        }
        catch (OperationCanceledException) when (deadlineSource?.IsCancellationRequested == true)
        {
            status = new GrpcStatus(StatusCode.DeadlineExceeded, "deadline exceeded");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client reset the stream: nobody is left to read a status
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            status = new GrpcStatus(StatusCode.ResourceExhausted, "request larger than the message size limit");
        }
        catch (Exception e)
        {
            Logger(http).LogError(e, "Unhandled exception in gRPC method {Method}", method);
            status = new GrpcStatus(StatusCode.Internal, "internal error");
        }
        StatusResponder.Complete(http.Response, status, context.ResponseStarted);
    }

    /// <summary>
    /// Protocol checks that end the call before any handler runs. Returns null to proceed; an OK status means "an HTTP
    /// answer was already set" (415 is plain HTTP so non-gRPC clients cannot mistake it for success).
    /// </summary>
    private GrpcStatus? RejectBeforeCall(HttpContext http)
    {
        var request = http.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return GrpcStatus.Ok;
        }
        if (!string.Equals(request.Path.Value, method, StringComparison.Ordinal))
            return UnknownMethod(request.Path.Value);
        if (!http.Response.SupportsTrailers())
            return new GrpcStatus(StatusCode.Internal, $"gRPC requires HTTP/2; request used {request.Protocol}");
        if (!request.Headers.TE.Any(v => v is not null && v.Contains("trailers", StringComparison.OrdinalIgnoreCase)))
            return new GrpcStatus(StatusCode.Internal, "missing 'te: trailers' header");
        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0 && !GrpcTimeout.TryParse(timeoutHeader, out _))
            return new GrpcStatus(StatusCode.Internal, "malformed grpc-timeout header");
        return null;
    }

    /// <summary>The status for a path no handler serves.</summary>
    public static GrpcStatus UnknownMethod(string? path) =>
        new(StatusCode.Unimplemented, $"method '{path}' is not implemented");

    private void LimitRequestBody(HttpContext http)
    {
        // One message plus its prefix: a second message or a lying prefix hits Kestrel's limit (413 -> RESOURCE_EXHAUSTED).
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
            feature.MaxRequestBodySize = (long)options.MaxReceiveMessageSize + GrpcProtocol.FrameHeaderSize;
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("VaxCert.Grpc") ?? NullLogger.Instance;
}
