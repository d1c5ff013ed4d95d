using Google.Protobuf;

namespace VaxCert.Grpc.Wire;

/// <summary>One <see cref="MessageParser{T}"/> per message type, so generic code needs only a new() constraint.</summary>
public static class ParserCache<T> where T : IMessage<T>, new()
{
    /// <summary>The parser for <typeparamref name="T"/>.</summary>
    public static MessageParser<T> Parser { get; } = new(() => new T());
}
