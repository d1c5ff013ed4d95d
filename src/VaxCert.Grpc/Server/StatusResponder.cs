using System.Globalization;
using Microsoft.AspNetCore.Http;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>Puts the final status on the wire: Trailers-Only while nothing was sent, real trailers afterwards.</summary>
internal static class StatusResponder
{
    public static void Complete(HttpResponse response, GrpcStatus status, bool messagesWritten)
    {
        // OK always goes into trailers (the notes warn HasStarted can lie while writes sit unflushed).
        var trailersOnly = status.Code != StatusCode.OK && !messagesWritten && !response.HasStarted;
        foreach (var (name, value) in Fields(status))
        {
            if (trailersOnly)
                response.Headers[name] = value;
            else
                response.AppendTrailer(name, value);
        }
    }

    /// <summary>A Trailers-Only answer before any call context exists (protocol errors, unknown method).</summary>
    public static void TrailersOnly(HttpResponse response, GrpcStatus status)
    {
        response.ContentType = GrpcProtocol.ContentType;
        Complete(response, status, messagesWritten: false);
    }

    private static IEnumerable<(string Name, string Value)> Fields(GrpcStatus status)
    {
        yield return (GrpcProtocol.StatusHeader, ((int)status.Code).ToString(CultureInfo.InvariantCulture));
        if (status.Message.Length > 0)
            yield return (GrpcProtocol.MessageHeader, GrpcMessageEncoding.Encode(status.Message));
        if (status.HasDetails)
            yield return (GrpcProtocol.StatusDetailsHeader, StatusDetailsCodec.Encode(status));
    }
}
