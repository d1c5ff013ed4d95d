namespace VaxCert.Grpc;

/// <summary>
/// The outcome of a call as it travels on the wire: grpc-status, grpc-message and, optionally, a machine-readable
/// reason with the request field at fault (sent as a google.rpc.ErrorInfo in grpc-status-details-bin).
/// </summary>
/// <param name="Code">The status code.</param>
/// <param name="Message">Human-readable text; empty for OK. Never exception text or secrets.</param>
/// <param name="Reason">Stable UPPER_SNAKE_CASE reason code, or null.</param>
/// <param name="Field">Proto field name at fault, or null.</param>
public sealed record GrpcStatus(StatusCode Code, string Message, string? Reason = null, string? Field = null)
{
    /// <summary>The status of a successful call.</summary>
    public static GrpcStatus Ok { get; } = new(StatusCode.OK, "");

    /// <summary>True when the status carries details worth a grpc-status-details-bin trailer.</summary>
    public bool HasDetails => Reason is not null || Field is not null;
}
