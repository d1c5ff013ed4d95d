using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace VaxCert.Grpc.Wire;

/// <summary>
/// Reads length-prefixed protobuf messages from a pipe as they arrive. Framing problems become a
/// <see cref="GrpcStatusException"/> with the status the protocol prescribes; the caller decides how to surface it.
/// </summary>
public static class MessageStreamReader
{
    /// <summary>Yields each message until the end of the stream.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(PipeReader reader, MessageParser<T> parser, int maxMessageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : IMessage<T>
    {
        var parsed = new List<T>();
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                FrameReadStatus status;
                while ((status = LengthPrefixedFraming.TryReadFrame(ref buffer, maxMessageSize, out var payload))
                       == FrameReadStatus.Complete)
                    parsed.Add(Parse(parser, payload));
                ThrowIfBroken(status, maxMessageSize);
                if (result.IsCompleted && !buffer.IsEmpty)
                    throw new GrpcStatusException(StatusCode.Internal, "stream ended inside a message");
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            foreach (var message in parsed)
                yield return message;
            parsed.Clear();
            if (result.IsCompleted)
                yield break;
        }
    }

    /// <summary>Reads exactly one message (a unary request or response); none or several is a protocol error.</summary>
    public static async ValueTask<T> ReadSingleAsync<T>(PipeReader reader, MessageParser<T> parser, int maxMessageSize,
        CancellationToken cancellationToken = default) where T : IMessage<T>
    {
        T? single = default;
        var count = 0;
        await foreach (var message in ReadAllAsync(reader, parser, maxMessageSize, cancellationToken).ConfigureAwait(false))
        {
            if (++count > 1)
                throw new GrpcStatusException(StatusCode.Internal, "expected one message but received more");
            single = message;
        }
        return count == 1 ? single! : throw new GrpcStatusException(StatusCode.Internal, "expected one message but received none");
    }

    private static T Parse<T>(MessageParser<T> parser, System.Buffers.ReadOnlySequence<byte> payload) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new GrpcStatusException(StatusCode.Internal, "message is not valid protobuf");
        }
    }

    private static void ThrowIfBroken(FrameReadStatus status, int maxMessageSize)
    {
        switch (status)
        {
            case FrameReadStatus.TooLarge:
                throw new GrpcStatusException(StatusCode.ResourceExhausted,
                    $"message larger than the limit of {maxMessageSize} bytes");
            case FrameReadStatus.Compressed:
                throw new GrpcStatusException(StatusCode.Unimplemented, "compressed messages are not supported; use identity");
            case FrameReadStatus.InvalidFlag:
                throw new GrpcStatusException(StatusCode.Internal, "invalid compressed-flag byte");
        }
    }
}
