using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Testing;

namespace VaxCert.Server.Tests.Support;

/// <summary>Settings and start-up of a real server on a loopback port chosen by the OS.</summary>
internal static class ServerHost
{
    /// <summary>Dev keys, port 0, a fresh SQLite ledger unless <paramref name="ledger"/> is given.</summary>
    public static ServerSettings Settings(string? ledger = null) => new()
    {
        Listen = "127.0.0.1:0",
        KeysDir = RepoPaths.KeysDev,
        Ledger = ledger ?? "sqlite:" + Path.Combine(RepoPaths.NewTempDir("server"), "ledger.db"),
    };

    /// <summary>Starts the server; logs are dropped (they are checked for personal data elsewhere).</summary>
    public static Task<IssuerServer> StartAsync(ServerSettings settings, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null) =>
        IssuerServer.StartAsync(settings, logging ?? (_ => { }));
}
