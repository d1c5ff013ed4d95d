using VaxCert.Core.Model;
using VaxCert.Core.Dcc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.Hosting;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Ledger.Merkle;
using VaxCert.Server.Configuration;
using VaxCert.Server.Grpc;
using VaxCert.Server.Health;
using VaxCert.Server.Issuance;
using VaxCert.Server.Security;

namespace VaxCert.Server.Hosting;

/// <summary>
/// The running signing server: start-up checks, grpc-dotnet on Kestrel with the Issuer, Health and reflection services
/// behind the status, caller-authentication and rate-limit interceptors, graceful stop. Used by
/// <c>vaxcert serve</c> and by tests (port 0). SIGTERM and Ctrl+C stop it gracefully (in-flight calls finish).
/// </summary>
public sealed class IssuerServer : IAsyncDisposable
{
    /// <summary>How long a signer probe verdict is reused by health checks.</summary>
    public static readonly TimeSpan SignerProbeTtl = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private IssuerServer(WebApplication app, CertificateIssuanceService service, Uri address, Uri? metricsAddress)
    {
        _app = app;
        Service = service;
        Address = address;
        MetricsAddress = metricsAddress;
    }

    /// <summary>The Prometheus endpoint, e.g. "http://127.0.0.1:9464/metrics", or null when MetricsListen is not set.</summary>
    public Uri? MetricsAddress { get; }

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
        var metricsEndpoint = MetricsEndpoint(settings);
        var metrics = new Metrics.IssuanceMetrics();
        var callers = Try(() => new CallerDirectory(settings.Callers, plan.Cleartext), "callers configuration");
        if (settings.RateLimit.PerSecond <= 0 || settings.RateLimit.Burst < 1)
            throw new ServerStartupException("rateLimit.perSecond must be positive and rateLimit.burst at least 1");
        if (!settings.Dev && string.IsNullOrEmpty(settings.FacilityTrust))
            throw new ServerStartupException("no facility trust folder configured: give --facility-trust (facilityTrust), or --dev to " +
                                             $"trust the public development facility keys of {settings.KeysDir}");

        // The issuance service is opened after Build (it logs through the host's loggers); the gRPC service and the
        // health check are resolved from DI on the first call, which comes after these are set.
        CertificateIssuanceService? opened = null;
        SignerProbe? probe = null;
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, settings, logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(callers);
        builder.Services.AddSingleton(new CallerRateLimiter(settings.RateLimit.PerSecond, settings.RateLimit.Burst));
        builder.Services.AddSingleton<CallerAuthenticationInterceptor>();
        builder.Services.AddSingleton<RateLimitInterceptor>();
        builder.Services.AddSingleton<IExceptionStatusMap, LedgerFailureStatusMap>();
        builder.Services.AddVaxCertGrpc(settings.MaxMessageBytes, interceptors =>
        {
            interceptors.Add<CallerAuthenticationInterceptor>(); // every service: Issuer, Health, reflection
            interceptors.Add<RateLimitInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton(services => new IssuerGrpcService(Started(opened), settings.MaxBatchRecords,
            services.GetRequiredService<ILogger<IssuerGrpcService>>(), metrics));
        builder.Services.AddSingleton(_ => new IssuerHealthCheck(Started(opened), Started(probe)));
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", _ => true);
            o.Services.Map(Issuer.Descriptor.FullName, _ => true);
        }).AddCheck<IssuerHealthCheck>("issuer");
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? metricsListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            plan.Apply(kestrel);
            if (metricsEndpoint is not null)
                kestrel.Listen(metricsEndpoint, o =>
                {
                    o.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
                    metricsListener = o;
                });
        });
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VaxCert.Server");

        if (metricsEndpoint is not null)
            app.Use(async (context, next) =>
            {
                // The metrics listener serves /metrics and nothing else; the gRPC listener never serves /metrics.
                if (metricsListener?.IPEndPoint is not { } bound || context.Connection.LocalPort != bound.Port)
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }
                if (context.Request.Path != "/metrics" || !HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                context.Response.ContentType = Metrics.IssuanceMetrics.ContentType;
                await metrics.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            });

        var service = await OpenServiceAsync(settings, log, app.Services.GetRequiredService<ILoggerFactory>(), metrics, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            probe = new SignerProbe(service.Signer, SignerProbeTtl);
            await CheckStartupAsync(service, probe, cancellationToken).ConfigureAwait(false);
            opened = service;
            app.MapGrpcService<IssuerGrpcService>();
            app.MapGrpcHealthChecksService();
            app.MapGrpcReflectionService();
            await StartListeningAsync(app, plan, cancellationToken).ConfigureAwait(false);
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
        if (SignerFactory.UsesDevelopmentKey(settings))
            log.LogWarning("DEVELOPMENT KEY: signing with the public dev DSC of {KeysDir}; its private key is in the repository, " +
                           "so these certificates prove nothing. Never use --dev in production", settings.KeysDir);
        log.LogInformation("Listening on {Address} ({Mode}); signer {Signer}; ledger {Ledger}", address,
            plan.Cleartext ? "h2c" : "TLS with client certificates", SignerFactory.Describe(settings), LedgerSpec.Parse(settings.Ledger).Describe());
        Uri? metricsAddress = metricsListener?.IPEndPoint is { } m ? new Uri($"http://{m}/metrics") : null;
        if (metricsAddress is not null) log.LogInformation("Metrics on {MetricsAddress}", metricsAddress);
        return new IssuerServer(app, service, address, metricsAddress);
    }

    private static T Started<T>(T? value) where T : class =>
        value ?? throw new InvalidOperationException("a call arrived before the server finished starting");

    // A port in use (another server, a previous run) is an operator error: one clear line, not a Kestrel stack trace.
    private static async Task StartListeningAsync(WebApplication app, ListenPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ServerStartupException($"cannot listen on {plan.Endpoint}: " + (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                ? "the address is already in use (is another server running?)" : e.Message), e);
        }
    }

    /// <summary>Stops gracefully (in-flight calls finish) and releases the signer and the ledger.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Service.DisposeAsync().ConfigureAwait(false);
    }

    // MetricsListen as an endpoint; a malformed one stops the start like a malformed Listen.
    private static System.Net.IPEndPoint? MetricsEndpoint(ServerSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.MetricsListen)) return null;
        return System.Net.IPEndPoint.TryParse(settings.MetricsListen, out var endpoint) && endpoint.Port is >= 0 and <= 65535
            && settings.MetricsListen.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ServerStartupException($"--metrics-listen '{settings.MetricsListen}' is not ADDRESS:PORT (e.g. 127.0.0.1:9464)");
    }

    /// <summary>
    /// The issuance service exactly as serve builds it (signer, facility trust, UVCI key, validity and policy, ledger), without
    /// listening: for offline operator commands on the ledger (<c>vaxcert reissue</c>). Opens an EXISTING ledger only.
    /// </summary>
    /// <exception cref="ServerStartupException">The configuration, key, trust or ledger is unusable (message says which).</exception>
    public static Task<CertificateIssuanceService> OpenOfflineServiceAsync(ServerSettings settings, ILoggerFactory loggers,
        CancellationToken cancellationToken = default)
        => OpenServiceAsync(settings, loggers.CreateLogger<IssuerServer>(), loggers, new Metrics.IssuanceMetrics(), cancellationToken,
            LedgerOpenMode.ExistingOnly);

    private static async Task<CertificateIssuanceService> OpenServiceAsync(ServerSettings settings, ILogger log, ILoggerFactory loggers,
        Metrics.IssuanceMetrics metrics, CancellationToken cancellationToken, LedgerOpenMode mode = LedgerOpenMode.CreateIfMissing)
    {
        var spec = Try(() => LedgerSpec.Parse(settings.Ledger), "--ledger");
        var (issuer, policy) = LoadIssuance(settings.Issuer);
        ICoseSigner signer = new Metrics.MeteredSigner(Try(() => SignerFactory.Open(settings), "the signing key"), metrics);
        try
        {
            var trust = Try(() => TrustMaterial.LoadFacilityDirectory(settings.FacilityTrustDirectory, [signer.Certificate]),
                $"facility trust in {settings.FacilityTrustDirectory}");
            var uvciKey = settings.UvciKeyFile is { Length: > 0 } keyFile ? Try(() => UvciKey.Load(keyFile), "the UVCI key file") : null;
            if (SignerCertificateProfile.Problem(signer.Certificate, trust.FacilityCas) is { } notADsc)
                throw new ServerStartupException(notADsc + "; configure the ministry DSC (--dsc-cert/--dsc-key or --token/--key)");
            if (mode == LedgerOpenMode.CreateIfMissing && spec.Engine == LedgerEngine.Sqlite && spec.Target != LedgerSpec.InMemory
                && Path.GetDirectoryName(Path.GetFullPath(spec.Target)) is { } folder)
                Directory.CreateDirectory(folder);
            ICertificateLedger ledger;
            try
            {
                ledger = await spec.OpenAsync(mode, null, cancellationToken).ConfigureAwait(false);
            }
            catch (LedgerException e)
            {
                log.LogError(e, "Cannot open the ledger {Ledger}", spec.Describe());
                throw new ServerStartupException($"cannot open the ledger {spec.Describe()}: {e.Message}", e);
            }
            if (AuditLogKeyFile(settings) is { } auditKeyFile && ledger is IMerkleAuditLog merkle)
            {
                // Lives as long as the server: it signs one tree head per ledger commit.
                var auditKey = Try(() => LoadAuditLogKey(auditKeyFile), "the audit log key");
                merkle.CommitSigner = new EcdsaTreeHeadSigner(auditKey);
            }
            return new CertificateIssuanceService(signer, trust, new Metrics.MeteredLedger(ledger, metrics), loggers.CreateLogger<CertificateIssuanceService>(),
                settings: issuer, policy: policy, uvciKey: uvciKey);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    /// <summary>The configured audit log key, else (dev only) the dev key when the keys folder has one, else none.</summary>
    private static string? AuditLogKeyFile(ServerSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.AuditLogKey))
            return settings.AuditLogKey;
        var dev = Path.Combine(settings.KeysDir, VaxCert.Core.Pki.DevPkiLayout.AuditLogKey);
        return settings.Dev && File.Exists(dev) ? dev : null;
    }

    private static System.Security.Cryptography.ECDsa LoadAuditLogKey(string file)
    {
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(file));
        return key;
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

    private static void ConfigureLogging(ILoggingBuilder logging, ServerSettings settings, Action<ILoggingBuilder>? custom)
    {
        logging.ClearProviders();
        // Request logs would add nothing but noise; our own messages carry ids and codes, never personal data.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // The host logs a failed start (a port in use) with Kestrel's whole stack trace; StartListeningAsync turns it into
        // one ServerStartupException line, which is all an operator needs.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // The health service logs every failing check at Error on every Check call; IssuerHealthCheck's own verdict suffices.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        // grpc-dotnet logs each failed call; StatusInterceptor already logged the unexpected ones.
        logging.AddFilter("Grpc.AspNetCore.Server", LogLevel.Warning);
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
