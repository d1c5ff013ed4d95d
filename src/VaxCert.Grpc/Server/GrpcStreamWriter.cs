using Google.Protobuf;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>Sends the messages of a server-streaming call, one flushed DATA frame each. Not safe for concurrent writes.</summary>
public sealed class GrpcStreamWriter<T> where T : IMessage<T>
{
    private readonly GrpcCallContext _context;
    private readonly int _maxMessageSize;

    internal GrpcStreamWriter(GrpcCallContext context, int maxMessageSize)
    {
        _context = context;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Writes and flushes one message so the client sees it at once.</summary>
    public async Task WriteAsync(T message)
    {
        ResponseWriter.Write(_context, message, _maxMessageSize);
        await _context.Http.Response.BodyWriter.FlushAsync(_context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Frames one response message into the response body.</summary>
internal static class ResponseWriter
{
    public static void Write(GrpcCallContext context, IMessage message, int maxMessageSize)
    {
        if (message.CalculateSize() > maxMessageSize)
            throw new GrpcStatusException(StatusCode.ResourceExhausted,
                $"response message larger than the limit of {maxMessageSize} bytes");
        LengthPrefixedFraming.WriteFrame(context.Http.Response.BodyWriter, message);
        context.ResponseStarted = true;
    }
}
