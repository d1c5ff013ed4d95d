using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace VaxCert.Grpc.Wire;

/// <summary>What <see cref="LengthPrefixedFraming.TryReadFrame"/> found at the start of the buffer.</summary>
public enum FrameReadStatus
{
    /// <summary>Not enough bytes yet for a whole frame; nothing was consumed.</summary>
    Incomplete,
    /// <summary>A whole message was sliced off the buffer.</summary>
    Complete,
    /// <summary>The length prefix announces more than the cap; decided from the 5-byte prefix alone, nothing buffered.</summary>
    TooLarge,
    /// <summary>The compressed flag is set; we only speak identity encoding.</summary>
    Compressed,
    /// <summary>The flag byte is neither 0 nor 1.</summary>
    InvalidFlag,
}

/// <summary>
/// gRPC Length-Prefixed-Message framing: 1 flag byte, 4-byte big-endian length, payload. Frame boundaries are
/// independent of HTTP/2 DATA frames, so parsing works on a byte sequence that may hold part of a message or several.
/// </summary>
public static class LengthPrefixedFraming
{
    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. On <see cref="FrameReadStatus.Complete"/> the buffer
    /// is advanced past the frame and <paramref name="payload"/> is the message bytes (a slice, not a copy); otherwise
    /// the buffer is left unchanged.
    /// </summary>
    public static FrameReadStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxMessageSize,
        out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize)
            return FrameReadStatus.Incomplete;
        Span<byte> header = stackalloc byte[GrpcProtocol.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocol.FrameHeaderSize).CopyTo(header);
        if (header[0] == 1)
            return FrameReadStatus.Compressed;
        if (header[0] != 0)
            return FrameReadStatus.InvalidFlag;
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageSize)
            return FrameReadStatus.TooLarge;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize + length)
            return FrameReadStatus.Incomplete;
        payload = buffer.Slice(GrpcProtocol.FrameHeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return FrameReadStatus.Complete;
    }

    /// <summary>Writes <paramref name="message"/> as one uncompressed frame into <paramref name="writer"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(GrpcProtocol.FrameHeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(GrpcProtocol.FrameHeaderSize, size));
        writer.Advance(GrpcProtocol.FrameHeaderSize + size);
    }

    /// <summary>One message as a framed byte array (for request bodies).</summary>
    public static byte[] ToFrame(IMessage message)
    {
        var writer = new ArrayBufferWriter<byte>(GrpcProtocol.FrameHeaderSize + message.CalculateSize());
        WriteFrame(writer, message);
        return writer.WrittenSpan.ToArray();
    }
}
