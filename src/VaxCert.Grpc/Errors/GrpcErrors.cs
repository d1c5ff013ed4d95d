using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace VaxCert.Grpc.Errors;

/// <summary>
/// VaxCert's error contract on top of gRPC statuses: a status, a safe message and, in the standard
/// <c>grpc-status-details-bin</c> trailer, a google.rpc.Status carrying one google.rpc.ErrorInfo with a stable reason and
/// the request field at fault. Servers build errors with <see cref="Create"/>; clients read them with <see cref="ReasonOf"/>.
/// </summary>
public static class GrpcErrors
{
    /// <summary>The trailer that carries google.rpc.Status (binary metadata, base64 on the wire).</summary>
    public const string DetailsTrailer = "grpc-status-details-bin";
    /// <summary>ErrorInfo.domain VaxCert sends.</summary>
    public const string Domain = "vaxcert.vn";
    /// <summary>ErrorInfo.metadata key of the offending field.</summary>
    public const string FieldKey = "field";

    /// <summary>An exception that ends a call with <paramref name="code"/>, <paramref name="message"/> (sent to the caller:
    /// no secrets, no exception text) and, when given, the reason and field as ErrorInfo.</summary>
    public static RpcException Create(StatusCode code, string message, string? reason = null, string? field = null)
    {
        var trailers = new Metadata();
        if (reason is not null || field is not null)
        {
            var info = new ErrorInfo { Reason = reason ?? "", Domain = Domain };
            if (field is not null)
                info.Metadata[FieldKey] = field;
            var details = new Google.Rpc.Status { Code = (int)code, Message = message };
            details.Details.Add(Any.Pack(info));
            trailers.Add(DetailsTrailer, details.ToByteArray());
        }
        return new RpcException(new global::Grpc.Core.Status(code, message), trailers, message);
    }

    /// <summary>Reason and field of a failed call; nulls when the server sent no (readable) ErrorInfo.</summary>
    public static (string? Reason, string? Field) ReasonOf(RpcException error)
    {
        var value = error.Trailers.GetValueBytes(DetailsTrailer);
        if (value is null)
            return (null, null);
        try
        {
            foreach (var detail in Google.Rpc.Status.Parser.ParseFrom(value).Details)
                if (detail.TryUnpack<ErrorInfo>(out var info))
                    return (info.Reason.Length > 0 ? info.Reason : null, info.Metadata.GetValueOrDefault(FieldKey));
        }
        catch (InvalidProtocolBufferException)
        {
            // Details are advisory: a peer's broken trailer must not hide the status code itself.
        }
        return (null, null);
    }
}
