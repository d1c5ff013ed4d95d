using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Client;

/// <summary>
/// One call from the client's side: deadline and cancellation, reading the status from headers (Trailers-Only) or from
/// trailers after the body, and translating every failure into a <see cref="GrpcCallException"/>.
/// </summary>
internal sealed class ClientCall : IDisposable
{
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly CancellationTokenSource _callSource;
    private readonly CancellationToken _userToken;
    private HttpResponseMessage? _response;

    public ClientCall(DateTimeOffset? deadline, CancellationToken userToken)
    {
        _userToken = userToken;
        if (deadline is { } d)
        {
            Remaining = d - DateTimeOffset.UtcNow;
            _deadlineSource = new CancellationTokenSource();
            if (Remaining > TimeSpan.Zero)
                _deadlineSource.CancelAfter(Remaining.Value);
            else
                _deadlineSource.Cancel();
        }
        _callSource = CancellationTokenSource.CreateLinkedTokenSource(userToken, _deadlineSource?.Token ?? CancellationToken.None);
    }

    /// <summary>Time left until the deadline when the call started, or null without a deadline.</summary>
    public TimeSpan? Remaining { get; }

    /// <summary>The status that arrived in the response headers (Trailers-Only), if any.</summary>
    public GrpcStatus? TrailersOnlyStatus { get; private set; }

    /// <summary>
    /// Sends the request and checks the response headers. Returns the body reader, or null when the response was
    /// Trailers-Only (see <see cref="TrailersOnlyStatus"/>).
    /// </summary>
    public async Task<PipeReader?> StartAsync(HttpClient http, HttpRequestMessage request)
    {
        _callSource.Token.ThrowIfCancellationRequested();
        _response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callSource.Token)
            .ConfigureAwait(false);
        if (_response.StatusCode != HttpStatusCode.OK)
            throw new GrpcCallException(HttpStatusMapping.ToStatusCode(_response.StatusCode),
                $"HTTP status {(int)_response.StatusCode} on a gRPC call");
        // HttpClient exposes the fields of a single END_STREAM HEADERS frame as headers, not trailers.
        if (ReadStatus(_response.Headers) is { } trailersOnly)
        {
            TrailersOnlyStatus = trailersOnly;
            return null;
        }
        var contentType = _response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
            throw new GrpcCallException(StatusCode.Internal, $"response content-type '{contentType}' is not gRPC");
        var stream = await _response.Content.ReadAsStreamAsync(_callSource.Token).ConfigureAwait(false);
        return PipeReader.Create(stream);
    }

    public CancellationToken Token => _callSource.Token;

    /// <summary>The status from the trailers; call only after the body was read to the end (they are empty before).</summary>
    public GrpcStatus TrailerStatus() =>
        TrailersOnlyStatus ?? ReadStatus(_response!.TrailingHeaders)
        ?? new GrpcStatus(StatusCode.Internal, "the server sent no grpc-status");

    /// <summary>Turns whatever went wrong into the status a gRPC client reports.</summary>
    public GrpcCallException Translate(Exception e) => e switch
    {
        GrpcCallException call => call,
        GrpcStatusException status => new GrpcCallException(status.Status, e),
        OperationCanceledException when _deadlineSource?.IsCancellationRequested == true =>
            new GrpcCallException(StatusCode.DeadlineExceeded, "deadline exceeded", e),
        OperationCanceledException => new GrpcCallException(StatusCode.Cancelled, "call cancelled", e),
        _ when FindProtocolError(e) is { } protocol => new GrpcCallException(FromResetCode(protocol.ErrorCode),
            $"stream reset by peer (HTTP/2 error 0x{protocol.ErrorCode:x})", e),
        HttpRequestException http => new GrpcCallException(StatusCode.Unavailable, $"transport failure: {http.HttpRequestError}", e),
        IOException => new GrpcCallException(StatusCode.Unavailable, "connection failed while reading the response", e),
        _ => new GrpcCallException(StatusCode.Internal, $"client failure: {e.GetType().Name}", e),
    };

    public void Dispose()
    {
        // Disposing an unfinished response sends RST_STREAM(CANCEL), which the server sees as RequestAborted.
        _response?.Dispose();
        _callSource.Dispose();
        _deadlineSource?.Dispose();
    }

    private static GrpcStatus? ReadStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
            return null;
        var code = int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                   && Enum.IsDefined(typeof(StatusCode), n)
            ? (StatusCode)n
            : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var m) ? GrpcMessageEncoding.Decode(m.FirstOrDefault()) : "";
        var details = headers.TryGetValues(GrpcProtocol.StatusDetailsHeader, out var d) ? d.FirstOrDefault() : null;
        var (reason, field) = StatusDetailsCodec.Decode(details);
        return new GrpcStatus(code, message, reason, field);
    }

    private static HttpProtocolException? FindProtocolError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is HttpProtocolException protocol)
                return protocol;
        return null;
    }

    private static StatusCode FromResetCode(long http2ErrorCode) => http2ErrorCode switch
    {
        0x7 => StatusCode.Unavailable, // REFUSED_STREAM: not processed, safe to retry
        0x8 => StatusCode.Cancelled,   // CANCEL
        _ => StatusCode.Internal,
    };
}

/// <summary>What a non-200 HTTP status on a gRPC call means (grpc/doc/http-grpc-status-mapping.md).</summary>
public static class HttpStatusMapping
{
    /// <summary>The gRPC status clients report for <paramref name="status"/>.</summary>
    public static StatusCode ToStatusCode(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
