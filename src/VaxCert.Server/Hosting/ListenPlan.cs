using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaxCert.Grpc.Hosting;
using VaxCert.Server.Configuration;

namespace VaxCert.Server.Hosting;

/// <summary>
/// Where and how to listen: h2c on loopback; TLS with mandatory client certificates (mTLS) anywhere else. Cleartext on a
/// non-loopback address is refused unless InsecureListen is set.
/// </summary>
public sealed class ListenPlan
{
    private ListenPlan(IPEndPoint endpoint, GrpcTlsOptions? tls)
    {
        Endpoint = endpoint;
        Tls = tls;
    }

    /// <summary>The address and port.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>TLS settings, or null for cleartext.</summary>
    public GrpcTlsOptions? Tls { get; }

    /// <summary>True for an h2c listener.</summary>
    public bool Cleartext => Tls is null;

    /// <summary>Checks the settings and loads the TLS material.</summary>
    /// <exception cref="ServerStartupException">Bad address, missing TLS files, or cleartext on a public address.</exception>
    public static ListenPlan From(ServerSettings settings)
    {
        var endpoint = ParseEndpoint(settings.Listen);
        if (settings.Tls is { } tls && !string.IsNullOrEmpty(tls.Certificate))
            return new ListenPlan(endpoint, LoadTls(tls));
        if (!IPAddress.IsLoopback(endpoint.Address) && !settings.InsecureListen)
            throw new ServerStartupException($"refusing cleartext on {endpoint}: configure TLS with client certificates (tls.certificate, " +
                                             "tls.key, tls.clientCa) or listen on 127.0.0.1; --insecure-listen overrides this for labs only");
        return new ListenPlan(endpoint, null);
    }

    /// <summary>Adds the listener to Kestrel.</summary>
    public void Apply(KestrelServerOptions kestrel)
    {
        if (Tls is not null)
            kestrel.ListenTls(Endpoint, Tls);
        else
            kestrel.ListenCleartext(Endpoint);
    }

    /// <summary>The URI clients use for the bound <paramref name="port"/>.</summary>
    public Uri AddressFor(int port)
    {
        var host = Tls is not null ? "localhost"
            : Endpoint.Address.Equals(IPAddress.Any) || Endpoint.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : Endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Endpoint.Address}]"
            : Endpoint.Address.ToString();
        return new Uri($"{(Tls is null ? "http" : "https")}://{host}:{port}");
    }

    private static IPEndPoint ParseEndpoint(string listen)
    {
        var text = listen.Trim();
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
            text = "127.0.0.1:" + text["localhost:".Length..];
        if (!IPEndPoint.TryParse(text, out var endpoint) || text.LastIndexOf(':') < 0 || endpoint.Port < 0)
            throw new ServerStartupException($"--listen '{listen}' is not ADDRESS:PORT (e.g. 127.0.0.1:50051 or 0.0.0.0:443)");
        return endpoint;
    }

    private static GrpcTlsOptions LoadTls(TlsSettings tls)
    {
        if (string.IsNullOrEmpty(tls.Key) || string.IsNullOrEmpty(tls.ClientCa))
            throw new ServerStartupException("TLS needs tls.certificate, tls.key and tls.clientCa: every caller must present a client certificate");
        try
        {
            var pem = X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key);
            // Re-import so SslStream gets a key that is not bound to an ephemeral PEM-loaded object (required on some platforms).
            var server = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(tls.ClientCa);
            if (authorities.Count == 0)
                throw new ServerStartupException($"tls.clientCa {tls.ClientCa} holds no certificate");
            return new GrpcTlsOptions { ServerCertificate = server, ClientCertificateAuthorities = authorities };
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"cannot load the TLS certificate, key or client CA: {e.GetType().Name}", e);
        }
    }
}
