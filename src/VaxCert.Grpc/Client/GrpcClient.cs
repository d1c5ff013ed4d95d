using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Client;

/// <summary>
/// A gRPC client over one long-lived HttpClient (HTTP/2 exactly: h2c prior knowledge for http://, TLS + ALPN for
/// https://). Thread-safe; create one per target and reuse it, as calls multiplex on its connections. Every failure is a
/// <see cref="GrpcCallException"/>.
/// </summary>
public sealed class GrpcClient : IDisposable
{
    private const string UserAgent = "grpc-dotnet-vaxcert/1.0";
    private readonly HttpClient _http;
    private readonly GrpcClientOptions _options;

    /// <summary>A client for <paramref name="address"/> (scheme, host and port; any path is ignored).</summary>
    public GrpcClient(Uri address, GrpcClientOptions? options = null)
    {
        _options = options ?? new GrpcClientOptions();
        _http = new HttpClient(CreateHandler(_options))
        {
            BaseAddress = new Uri(address.GetLeftPart(UriPartial.Authority)),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan, // deadlines are per call
        };
    }

    /// <summary>The server this client calls.</summary>
    public Uri Address => _http.BaseAddress!;

    /// <summary>
    /// Calls a unary method. <paramref name="deadline"/> is sent as grpc-timeout and enforced locally as well;
    /// <paramref name="metadata"/> becomes request headers (lower-case names, "-bin" values base64).
    /// </summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string path, TRequest request,
        DateTimeOffset? deadline = null, IEnumerable<KeyValuePair<string, string>>? metadata = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        using var call = new ClientCall(deadline, cancellationToken);
        using var httpRequest = BuildRequest(path, request, call.Remaining, metadata);
        try
        {
            var body = await call.StartAsync(_http, httpRequest).ConfigureAwait(false);
            var responses = new List<TResponse>(1);
            if (body is not null)
                await foreach (var message in Read<TResponse>(body, call.Token).ConfigureAwait(false))
                    responses.Add(message);
            ThrowIfFailed(call.TrailerStatus());
            return responses.Count == 1
                ? responses[0]
                : throw new GrpcCallException(StatusCode.Internal, $"unary call returned {responses.Count} messages");
        }
        catch (Exception e) when (e is not GrpcCallException)
        {
            throw call.Translate(e);
        }
    }

    /// <summary>
    /// Calls a server-streaming method. Messages are yielded as they arrive; a non-OK status is thrown after the
    /// messages that preceded it. Abandoning the enumeration cancels the call on the server.
    /// </summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string path, TRequest request,
        DateTimeOffset? deadline = null, IEnumerable<KeyValuePair<string, string>>? metadata = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        using var call = new ClientCall(deadline, cancellationToken);
        using var httpRequest = BuildRequest(path, request, call.Remaining, metadata);
        System.IO.Pipelines.PipeReader? body;
        try
        {
            body = await call.StartAsync(_http, httpRequest).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not GrpcCallException)
        {
            throw call.Translate(e);
        }
        if (body is not null)
        {
            await using var messages = Read<TResponse>(body, call.Token).GetAsyncEnumerator(call.Token);
            while (true)
            {
                try
                {
                    if (!await messages.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (Exception e) when (e is not GrpcCallException)
                {
                    throw call.Translate(e);
                }
                yield return messages.Current;
            }
        }
        ThrowIfFailed(call.TrailerStatus());
    }

    /// <summary>Closes the connections.</summary>
    public void Dispose() => _http.Dispose();

    private IAsyncEnumerable<T> Read<T>(System.IO.Pipelines.PipeReader body, CancellationToken token)
        where T : IMessage<T>, new() =>
        MessageStreamReader.ReadAllAsync(body, ParserCache<T>.Parser, _options.MaxReceiveMessageSize, token);

    private static void ThrowIfFailed(GrpcStatus status)
    {
        if (status.Code != StatusCode.OK)
            throw new GrpcCallException(status);
    }

    private static HttpRequestMessage BuildRequest(string path, IMessage message, TimeSpan? remaining,
        IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var content = new ByteArrayContent(LengthPrefixedFraming.ToFrame(message));
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("user-agent", UserAgent);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.IdentityEncoding);
        if (remaining is { } left)
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(left));
        foreach (var (name, value) in metadata ?? [])
        {
            if (name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || name.StartsWith(':'))
                throw new ArgumentException($"metadata name '{name}' is reserved", nameof(metadata));
            request.Headers.TryAddWithoutValidation(name.ToLowerInvariant(), value);
        }
        return request;
    }

    private static SocketsHttpHandler CreateHandler(GrpcClientOptions options)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (options.ClientCertificate is { } clientCertificate)
            ssl.ClientCertificates = new X509CertificateCollection { clientCertificate };
        if (options.TrustedServerAuthorities is { } authorities)
        {
            var trust = new ServerCertificateTrust(authorities);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        }
        return new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true, // opens another connection once Kestrel's 100-stream limit is reached
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = ssl,
        };
    }
}
