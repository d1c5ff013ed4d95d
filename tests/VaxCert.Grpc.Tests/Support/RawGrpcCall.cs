using System.Net;
using System.Net.Http.Headers;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>What came back for a hand-made HTTP/2 request: status line, headers, body bytes, trailers.</summary>
public sealed record RawResponse(HttpStatusCode HttpStatus, IReadOnlyDictionary<string, string> Headers, byte[] Body,
    IReadOnlyDictionary<string, string> Trailers)
{
    /// <summary>A Trailers-Only answer: grpc-status arrived with the headers, no body.</summary>
    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && Body.Length == 0;

    /// <summary>grpc-status from wherever it arrived.</summary>
    public string? GrpcStatus => Headers.GetValueOrDefault("grpc-status") ?? Trailers.GetValueOrDefault("grpc-status");
}

/// <summary>
/// Sends protocol-level requests our own client would never make (wrong content type, compressed flag, no te header,
/// lying length prefix) over a plain h2c HttpClient.
/// </summary>
public static class RawGrpcCall
{
    public static HttpClient NewH2cClient(Uri address) => new(new SocketsHttpHandler())
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public static async Task<RawResponse> SendAsync(HttpClient http, string path, HttpContent content,
        string contentType = "application/grpc", bool teTrailers = true, IDictionary<string, string>? headers = null)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = HttpVersion.Version20, // the client defaults apply only to GetAsync & co., not to SendAsync
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (teTrailers)
            request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(response.StatusCode, Flatten(response.Headers), body, Flatten(response.TrailingHeaders));
    }

    public static Task<RawResponse> SendAsync(HttpClient http, string path, byte[] body, string contentType = "application/grpc",
        bool teTrailers = true, IDictionary<string, string>? headers = null) =>
        SendAsync(http, path, new ByteArrayContent(body), contentType, teTrailers, headers);

    /// <summary>A body that sends only <paramref name="prefix"/> and then keeps the request stream open until released.</summary>
    public sealed class HeldOpenContent(byte[] prefix) : HttpContent
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            await stream.FlushAsync();
            await _release.Task;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static Dictionary<string, string> Flatten(HttpHeaders headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
}
