namespace VaxCert.Grpc.Wire;

/// <summary>Header names and values of the gRPC over HTTP/2 protocol (grpc/doc/PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    /// <summary>The content type both sides send.</summary>
    public const string ContentType = "application/grpc";
    /// <summary>Status code trailer (decimal).</summary>
    public const string StatusHeader = "grpc-status";
    /// <summary>Status message trailer (percent-encoded UTF-8).</summary>
    public const string MessageHeader = "grpc-message";
    /// <summary>Serialized google.rpc.Status trailer (base64).</summary>
    public const string StatusDetailsHeader = "grpc-status-details-bin";
    /// <summary>Request deadline header.</summary>
    public const string TimeoutHeader = "grpc-timeout";
    /// <summary>Message compression the sender uses.</summary>
    public const string EncodingHeader = "grpc-encoding";
    /// <summary>Message compressions the sender accepts.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    /// <summary>The only compression we speak.</summary>
    public const string IdentityEncoding = "identity";
    /// <summary>Bytes before each message: compressed flag + 4-byte big-endian length.</summary>
    public const int FrameHeaderSize = 5;
    /// <summary>Default cap on one message, both directions (the gRPC ecosystem's usual 4 MiB).</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for "application/grpc" and its "+suffix" / ";params" forms (e.g. application/grpc+proto), case-insensitive.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
            return false;
        if (contentType.Length == ContentType.Length)
            return true;
        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }
}
