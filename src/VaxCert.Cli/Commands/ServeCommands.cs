using System.CommandLine;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert serve [--listen 127.0.0.1:PORT] [--config FILE] [--ledger SPEC] [--dsc-cert C --dsc-key K | --pkcs11-module M
/// --token T --key K --pin-env VAR] [--facility-trust DIR] [--dev] [--insecure-listen]</c>: the gRPC signing server
/// (docs/server.md). A signer and a facility trust folder must be configured; <c>--dev</c> alone starts on 127.0.0.1:50051
/// with the public dev DSC and facility keys of keys-dev and ./.vaxcert/ledger.db. Exit codes: 0 after a graceful stop,
/// 2 when a start-up check fails (one line on stderr: <c>error: ...</c>).
/// </summary>
public sealed class ServeCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (docs/server.md)" };
        // Each option maps to a configuration key; only options given on the command line override file and environment.
        var options = new (Option<string?> Option, string Key)[]
        {
            (new Option<string?>("--listen") { Description = "ADDRESS:PORT (default 127.0.0.1:50051; port 0 picks one)" }, "Listen"),
            (new Option<string?>("--ledger") { Description = "sqlite:PATH or postgres:... (default sqlite:.vaxcert/ledger.db)" }, "Ledger"),
            (new Option<string?>("--keys-dir") { Description = "Development key folder (default keys-dev)" }, "KeysDir"),
            (new Option<string?>("--facility-trust") { Description = "Facility trust folder (default: the keys folder)" }, "FacilityTrust"),
            (new Option<string?>("--dsc-cert") { Description = "DSC certificate PEM (software key)" }, "Signer:DscCert"),
            (new Option<string?>("--dsc-key") { Description = "DSC private key PEM (software key, dev only)" }, "Signer:DscKey"),
            (new Option<string?>("--pkcs11-module") { Description = "PKCS#11 module path" }, "Signer:Pkcs11Module"),
            (new Option<string?>("--token") { Description = "PKCS#11 token label" }, "Signer:Token"),
            (new Option<string?>("--key") { Description = "Key label on the token" }, "Signer:Key"),
            (new Option<string?>("--pin-env") { Description = "Environment variable holding the token PIN" }, "Signer:PinEnv"),
            (new Option<string?>("--audit-log-key") { Description = "EC P-256 key PEM signing a Merkle tree head with every ledger commit (default with --dev: keys-dev/audit-log.key.pem)" }, "AuditLogKey"),
            (new Option<string?>("--log-format") { Description = "simple or json" }, "LogFormat"),
            (new Option<string?>("--metrics-listen") { Description = "ADDRESS:PORT of a Prometheus /metrics endpoint (HTTP/1.1, e.g. 127.0.0.1:9464; default: none)" }, "MetricsListen"),
        };
        var insecure = new Option<bool>("--insecure-listen") { Description = "Allow cleartext on a non-loopback address (labs only)" };
        var dev = new Option<bool>("--dev")
        {
            Description = "Use the PUBLIC development DSC and facility keys of the keys folder when none are configured (tests and demos only)",
        };
        var serve = new Command("serve", ExitCodes.Describe("Run the gRPC signing server (Issuer + grpc.health.v1).",
            "0 after a graceful stop (SIGTERM, Ctrl+C), 2 a start-up check failed (one line on stderr, e.g. the port is in use)")) { config, insecure, dev };
        foreach (var (option, _) in options) serve.Add(option);
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = options.Where(o => parse.GetValue(o.Option) is not null)
                .ToDictionary(o => o.Key, o => parse.GetValue(o.Option));
            if (parse.GetValue(insecure)) overrides["InsecureListen"] = "true";
            if (parse.GetValue(dev)) overrides["Dev"] = "true";
            return await ServeRun.RunAsync(parse.GetValue(config), overrides, cancellationToken);
        });
        root.Add(serve);
    }
}

/// <summary>The serve action: load settings, start, wait for SIGTERM/Ctrl+C.</summary>
internal static class ServeRun
{
    public const int Stopped = 0, StartupFailed = 2;

    public static async Task<int> RunAsync(string? configFile, IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        IssuerServer server;
        ServerSettings settings;
        try
        {
            settings = ServerConfiguration.Load(configFile, overrides);
            server = await IssuerServer.StartAsync(settings, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is ServerStartupException or ArgumentException)
        {
            return CliError.Fail(Spectre.Console.AnsiConsole.Console, "vaxcert serve refuses to start: " + e.Message, StartupFailed);
        }
        if (SignerFactory.UsesDevelopmentKey(settings))
            await Console.Error.WriteLineAsync($"WARNING: --dev: signing with the PUBLIC development key of {settings.KeysDir}. " +
                                               "Anyone can forge these certificates. Never use --dev in production.");
        await using (server)
        {
            // One parseable line for scripts and tests that start on port 0.
            Console.WriteLine($"listening on {server.Address}");
            await server.WaitForShutdownAsync(CancellationToken.None);
        }
        return Stopped;
    }
}
