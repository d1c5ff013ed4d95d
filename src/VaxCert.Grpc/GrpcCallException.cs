namespace VaxCert.Grpc;

/// <summary>
/// Thrown by <see cref="Client.GrpcClient"/> when a call ends with any status other than OK, including statuses the
/// client synthesised itself (local deadline, transport failure, missing grpc-status).
/// </summary>
public sealed class GrpcCallException : Exception
{
    /// <summary>A failed call with its decoded status.</summary>
    public GrpcCallException(GrpcStatus status, Exception? inner = null)
        : base($"gRPC call failed: {status.Code} ({(int)status.Code}): {status.Message}", inner) => Status = status;

    /// <summary>A failed call with only code and message.</summary>
    public GrpcCallException(StatusCode code, string message, Exception? inner = null)
        : this(new GrpcStatus(code, message), inner) { }

    /// <summary>The status as received (or synthesised).</summary>
    public GrpcStatus Status { get; }

    /// <summary>Shorthand for <c>Status.Code</c>.</summary>
    public StatusCode StatusCode => Status.Code;

    /// <summary>The decoded grpc-message.</summary>
    public string StatusMessage => Status.Message;
}
