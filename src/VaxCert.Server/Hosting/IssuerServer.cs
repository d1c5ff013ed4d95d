using VaxCert.Core.Model;
using VaxCert.Core.Dcc;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Grpc.Server;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Grpc;
using VaxCert.Server.Health;
using VaxCert.Server.Issuance;
using VaxCert.Server.Security;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace VaxCert.Server.Hosting;

/// <summary>
/// The running signing server: start-up checks, Kestrel with the Issuer and Health services, graceful stop. Used by
/// <c>vaxcert serve</c> and by tests (port 0). SIGTERM and Ctrl+C stop it gracefully (in-flight calls finish).
/// </summary>
public sealed class IssuerServer : IAsyncDisposable
{
    /// <summary>How long a signer probe verdict is reused by health checks.</summary>
    public static readonly TimeSpan SignerProbeTtl = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private IssuerServer(WebApplication app, CertificateIssuanceService service, Uri address)
    {
        _app = app;
        Service = service;
        Address = address;
    }

    /// <summary>Where clients connect, e.g. "http://127.0.0.1:50051" or "https://localhost:8443".</summary>
    public Uri Address { get; }

    /// <summary>The issuance service behind the gRPC layer.</summary>
    public CertificateIssuanceService Service { get; }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Runs the start-up checks and starts listening.</summary>
    /// <exception cref="ServerStartupException">A check failed; the message says which and how to fix it.</exception>
    public static async Task<IssuerServer> StartAsync(ServerSettings settings, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        var plan = ListenPlan.From(settings);
        var callers = Try(() => new CallerDirectory(settings.Callers, plan.Cleartext), "callers configuration");
        if (settings.RateLimit.PerSecond <= 0 || settings.RateLimit.Burst < 1)
            throw new ServerStartupException("rateLimit.perSecond must be positive and rateLimit.burst at least 1");

        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, settings, logging);
        var grpcOptions = new GrpcServerOptions { MaxReceiveMessageSize = settings.MaxMessageBytes, MaxSendMessageSize = settings.MaxMessageBytes };
        builder.Services.AddSingleton(grpcOptions);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.ConfigureKestrel(kestrel => plan.Apply(kestrel, grpcOptions));
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VaxCert.Server");

        var service = await OpenServiceAsync(settings, log, app.Services.GetRequiredService<ILoggerFactory>(), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var probe = new SignerProbe(service.Signer, SignerProbeTtl);
            await CheckStartupAsync(service, probe, cancellationToken).ConfigureAwait(false);
            var limiter = new CallerRateLimiter(settings.RateLimit.PerSecond, settings.RateLimit.Burst);
            var issuer = new IssuerGrpcService(service, callers, limiter, settings.MaxBatchRecords,
                app.Services.GetRequiredService<ILogger<IssuerGrpcService>>());
            app.MapIssuer(issuer);
            var health = new GrpcHealthService();
            health.SetProbe("", ct => ServingAsync(service, probe, ct));
            health.SetProbe(IssuerMethods.Service, ct => ServingAsync(service, probe, ct));
            health.Map(app);
            app.MapGrpcFallback();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = plan.AddressFor(new Uri(bound).Port);
        if (plan.Cleartext && !System.Net.IPAddress.IsLoopback(plan.Endpoint.Address))
            log.LogWarning("INSECURE: cleartext listener on {Endpoint}; anyone who reaches it can issue certificates", plan.Endpoint);
        log.LogInformation("Listening on {Address} ({Mode}); signer {Signer}; ledger {Ledger}", address,
            plan.Cleartext ? "h2c" : "TLS with client certificates", SignerFactory.Describe(settings), LedgerSpec.Parse(settings.Ledger).Describe());
        return new IssuerServer(app, service, address);
    }

    /// <summary>Stops gracefully (in-flight calls finish) and releases the signer and the ledger.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Service.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<CertificateIssuanceService> OpenServiceAsync(ServerSettings settings, ILogger log, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var spec = Try(() => LedgerSpec.Parse(settings.Ledger), "--ledger");
        var (issuer, policy) = LoadIssuance(settings.Issuer);
        var signer = Try(() => SignerFactory.Open(settings), "the signing key");
        try
        {
            var trust = Try(() => TrustMaterial.LoadFacilityDirectory(settings.FacilityTrustDirectory, [signer.Certificate]),
                $"facility trust in {settings.FacilityTrustDirectory}");
            var uvciKey = settings.UvciKeyFile is { Length: > 0 } keyFile ? Try(() => UvciKey.Load(keyFile), "the UVCI key file") : null;
            if (spec.Engine == LedgerEngine.Sqlite && spec.Target != LedgerSpec.InMemory
                && Path.GetDirectoryName(Path.GetFullPath(spec.Target)) is { } folder)
                Directory.CreateDirectory(folder);
            ICertificateLedger ledger;
            try
            {
                ledger = await spec.OpenAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (LedgerException e)
            {
                log.LogError(e, "Cannot open the ledger {Ledger}", spec.Describe());
                throw new ServerStartupException($"cannot open the ledger {spec.Describe()}: {e.Message}", e);
            }
            return new CertificateIssuanceService(signer, trust, ledger, loggers.CreateLogger<CertificateIssuanceService>(),
                settings: issuer, policy: policy, uvciKey: uvciKey);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    // Validity and policy; a policy that does not fit the EU value sets stops the server before it listens.
    private static (IssuerSettings Issuer, IssuancePolicy Policy) LoadIssuance(IssuerPolicySettings configured)
    {
        var issuer = IssuerSettings.Default;
        if (configured.ValidityMonths is { } months)
        {
            if (months is < 1 or > 24) throw new ServerStartupException("Issuer:ValidityMonths must be between 1 and 24");
            issuer = issuer with { ValidityMonths = months };
        }
        if (configured.PolicyFile is not { } file) return (issuer, IssuancePolicy.Default);
        var json = Try(() => File.ReadAllText(file), $"the issuance policy file {file}");
        var loaded = IssuancePolicy.FromJson(json, ValueSets.Default);
        return loaded.Policy is { } policy
            ? (issuer, policy)
            : throw new ServerStartupException($"the issuance policy {file} is not usable: " + string.Join(" ", loaded.Problems));
    }

    private static async Task CheckStartupAsync(CertificateIssuanceService service, SignerProbe probe, CancellationToken cancellationToken)
    {
        var check = probe.CheckNow();
        if (!check.CanSign)
            throw new ServerStartupException("signer check failed: " + check.Detail);
        var certificate = service.Signer.Certificate;
        var now = DateTimeOffset.UtcNow;
        if (now < certificate.NotBefore.ToUniversalTime() || now >= certificate.NotAfter.ToUniversalTime())
            throw new ServerStartupException($"the signer certificate is valid {certificate.NotBefore:u} to {certificate.NotAfter:u}, not now");
        var health = await service.Ledger.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        if (!health.Healthy)
            throw new ServerStartupException("ledger check failed: " + health.Detail);
    }

    private static async ValueTask<ServingStatus> ServingAsync(CertificateIssuanceService service, SignerProbe probe, CancellationToken ct)
    {
        var signer = await probe.CheckAsync(ct).ConfigureAwait(false);
        if (!signer.CanSign)
            return ServingStatus.NotServing;
        var ledger = await service.Ledger.CheckHealthAsync(ct).ConfigureAwait(false);
        return ledger.Healthy ? ServingStatus.Serving : ServingStatus.NotServing;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerSettings settings, Action<ILoggingBuilder>? custom)
    {
        logging.ClearProviders();
        // Request logs would add nothing but noise; our own messages carry ids and codes, never personal data.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        if (custom is not null)
            custom(logging);
        else if (string.Equals(settings.LogFormat, "json", StringComparison.OrdinalIgnoreCase))
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        else
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
    }

    private static T Try<T>(Func<T> open, string what)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is ArgumentException or IOException or SigningException or UnauthorizedAccessException
                                      or System.Security.Cryptography.CryptographicException or Pkcs11.Pkcs11LookupException)
        {
            throw new ServerStartupException($"cannot use {what}: {e.Message}", e);
        }
    }
}
