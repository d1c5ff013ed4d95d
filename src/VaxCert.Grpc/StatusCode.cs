namespace VaxCert.Grpc;

/// <summary>gRPC status codes with the standard numbering (grpc/doc/statuscodes.md); the value is sent as grpc-status.</summary>
public enum StatusCode
{
    /// <summary>Success.</summary>
    OK = 0,
    /// <summary>The call was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>Unknown error, e.g. an HTTP status that has no gRPC meaning.</summary>
    Unknown = 2,
    /// <summary>The request is malformed or a field fails validation.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline (grpc-timeout) expired before the call completed.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity (certificate, key, facility) does not exist.</summary>
    NotFound = 5,
    /// <summary>The entity the caller tried to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller is authenticated but not allowed to do this.</summary>
    PermissionDenied = 7,
    /// <summary>A size limit, quota or queue is exhausted.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state required for the operation.</summary>
    FailedPrecondition = 9,
    /// <summary>Aborted, e.g. by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>A value is outside its valid range.</summary>
    OutOfRange = 11,
    /// <summary>Unknown method, or a feature (message compression) the server does not support.</summary>
    Unimplemented = 12,
    /// <summary>An invariant broke: protocol violation or unexpected exception. Never carries exception text.</summary>
    Internal = 13,
    /// <summary>The service is temporarily unavailable (token removed, HSM down, connection failed); retrying may work.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>Missing or invalid credentials.</summary>
    Unauthenticated = 16,
}
