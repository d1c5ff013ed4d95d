namespace VaxCert.Grpc;

/// <summary>
/// Thrown by a server handler to end the call with a chosen status. The message is sent to the client as grpc-message,
/// so it must be safe to show: no secrets, no internal exception text.
/// </summary>
public sealed class GrpcStatusException : Exception
{
    /// <summary>Fails the call with <paramref name="code"/> and <paramref name="message"/>.</summary>
    public GrpcStatusException(StatusCode code, string message, string? reason = null, string? field = null)
        : base(message) => Status = new GrpcStatus(code, message, reason, field);

    /// <summary>The status the client will receive.</summary>
    public GrpcStatus Status { get; }

    /// <summary>Shorthand for <c>Status.Code</c>.</summary>
    public StatusCode StatusCode => Status.Code;
}
