using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using VaxCert.Grpc.Wire;

namespace VaxCert.Grpc.Server;

/// <summary>What a handler may know about the call it serves.</summary>
public sealed class GrpcCallContext
{
    private readonly HttpContext _http;

    internal GrpcCallContext(HttpContext http, CancellationToken cancellationToken, DateTimeOffset? deadline)
    {
        _http = http;
        CancellationToken = cancellationToken;
        Deadline = deadline;
    }

    /// <summary>Cancelled when the client cancels or disconnects, or when the deadline expires. Pass it to all work.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>When the client's grpc-timeout expires, or null when it sent none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The full method path, e.g. "/vaxcert.v1.Issuer/Issue".</summary>
    public string Method => _http.Request.Path.Value ?? "";

    /// <summary>Request metadata (HTTP/2 headers, lower-case names). "-bin" values are base64: see <see cref="GetBinaryHeader"/>.</summary>
    public IHeaderDictionary RequestHeaders => _http.Request.Headers;

    /// <summary>The certificate the client presented over TLS (validated by the listener), or null on h2c / without mTLS.</summary>
    public X509Certificate2? ClientCertificate => _http.Connection.ClientCertificate;

    /// <summary>The client's address and port, e.g. "127.0.0.1:51234", or "" when unknown.</summary>
    public string Peer => _http.Connection.RemoteIpAddress is { } ip ? $"{ip}:{_http.Connection.RemotePort}" : "";

    /// <summary>A single text metadata value, or null.</summary>
    public string? GetHeader(string name) =>
        _http.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>A "-bin" metadata value decoded from base64, or null when absent or not base64.</summary>
    public byte[]? GetBinaryHeader(string name) =>
        GetHeader(name) is { } value && BinaryHeader.TryDecode(value, out var bytes) ? bytes : null;

    /// <summary>Set once the first response message has been written; errors then go into trailers.</summary>
    internal bool ResponseStarted { get; set; }

    internal HttpContext Http => _http;
}
