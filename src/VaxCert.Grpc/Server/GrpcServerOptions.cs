using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>Limits of the server side of the wire layer. Register one instance in DI to override the defaults.</summary>
public sealed record GrpcServerOptions
{
    /// <summary>Largest request message accepted; a larger length prefix fails the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest response message a handler may send; larger ones fail the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>The defaults (4 MiB each way).</summary>
    public static GrpcServerOptions Default { get; } = new();
}
