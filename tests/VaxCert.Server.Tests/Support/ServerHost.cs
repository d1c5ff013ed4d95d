using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.Errors;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Testing;

namespace VaxCert.Server.Tests.Support;

/// <summary>Settings and start-up of a real server on a loopback port chosen by the OS.</summary>
internal static class ServerHost
{
    /// <summary>Dev keys (--dev), port 0, a fresh SQLite ledger unless <paramref name="ledger"/> is given.</summary>
    public static ServerSettings Settings(string? ledger = null) => new()
    {
        Listen = "127.0.0.1:0",
        Dev = true,
        KeysDir = RepoPaths.KeysDev,
        Ledger = ledger ?? "sqlite:" + Path.Combine(RepoPaths.NewTempDir("server"), "ledger.db"),
    };

    /// <summary>Starts the server; logs are dropped (they are checked for personal data elsewhere).</summary>
    public static Task<IssuerServer> StartAsync(ServerSettings settings, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null) =>
        IssuerServer.StartAsync(settings, logging ?? (_ => { }));

    /// <summary>A Grpc.Net.Client channel to <paramref name="server"/> (h2c, or TLS trusting <paramref name="caPem"/> with a client certificate).</summary>
    public static GrpcChannel Channel(IssuerServer server, X509Certificate2? clientCertificate = null, string? caPem = null)
    {
        X509Certificate2Collection? authorities = null;
        if (caPem is not null)
        {
            authorities = [];
            authorities.ImportFromPemFile(caPem);
        }
        return GrpcChannels.Create(server.Address, new GrpcChannelSecurity { ClientCertificate = clientCertificate, TrustedServerAuthorities = authorities });
    }

    /// <summary>Status, reason and field of a failed call.</summary>
    public static (StatusCode Code, string? Reason, string? Field) Failure(RpcException e)
    {
        var (reason, field) = GrpcErrors.ReasonOf(e);
        return (e.StatusCode, reason, field);
    }
}
