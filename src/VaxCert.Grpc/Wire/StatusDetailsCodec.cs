using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace VaxCert.Grpc.Wire;

/// <summary>
/// Encodes <see cref="GrpcStatus.Reason"/> and <see cref="GrpcStatus.Field"/> as a google.rpc.Status carrying one
/// google.rpc.ErrorInfo, for the grpc-status-details-bin trailer, and decodes it back.
/// </summary>
public static class StatusDetailsCodec
{
    /// <summary>ErrorInfo.domain VaxCert sends.</summary>
    public const string Domain = "vaxcert.vn";
    /// <summary>ErrorInfo.metadata key of the offending field.</summary>
    public const string FieldKey = "field";

    /// <summary>The header value (unpadded base64, as the gRPC spec asks senders to emit).</summary>
    public static string Encode(GrpcStatus status)
    {
        var info = new ErrorInfo { Reason = status.Reason ?? "", Domain = Domain };
        if (status.Field is not null)
            info.Metadata[FieldKey] = status.Field;
        var rpcStatus = new Google.Rpc.Status { Code = (int)status.Code, Message = status.Message };
        rpcStatus.Details.Add(Any.Pack(info));
        return BinaryHeader.Encode(rpcStatus.ToByteArray());
    }

    /// <summary>Reason and field from a header value; nulls when the value is absent or unreadable (it is optional).</summary>
    public static (string? Reason, string? Field) Decode(string? headerValue)
    {
        if (headerValue is null || !BinaryHeader.TryDecode(headerValue, out var bytes))
            return (null, null);
        try
        {
            var rpcStatus = Google.Rpc.Status.Parser.ParseFrom(bytes);
            foreach (var detail in rpcStatus.Details)
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
