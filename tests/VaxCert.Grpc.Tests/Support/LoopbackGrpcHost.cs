using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using VaxCert.Grpc.Hosting;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>A real Kestrel host on a loopback port chosen by the OS: the test service and health on grpc-dotnet, set up
/// with VaxCert.Grpc's listener, limits and status contract exactly as the signing server uses them.</summary>
public sealed class LoopbackGrpcHost : IAsyncDisposable
{
    /// <summary>The message cap of test hosts: small, so size-limit cases need no large buffers.</summary>
    public const int MaxMessageSize = 64 * 1024;

    private readonly WebApplication _app;

    private LoopbackGrpcHost(WebApplication app, Uri address, CallProbes probes)
    {
        _app = app;
        Address = address;
        Probes = probes;
    }

    public Uri Address { get; }
    public CallProbes Probes { get; }

    /// <summary>Cleartext h2c on 127.0.0.1.</summary>
    public static Task<LoopbackGrpcHost> StartCleartextAsync() =>
        StartAsync(kestrel => kestrel.ListenCleartext(new IPEndPoint(IPAddress.Loopback, 0)), "http");

    /// <summary>TLS on 127.0.0.1, with mTLS when <paramref name="tls"/> names client CAs.</summary>
    public static Task<LoopbackGrpcHost> StartTlsAsync(GrpcTlsOptions tls) =>
        StartAsync(kestrel => kestrel.ListenTls(new IPEndPoint(IPAddress.Loopback, 0), tls), "https");

    private static async Task<LoopbackGrpcHost> StartAsync(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen, string scheme)
    {
        var probes = new CallProbes();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(probes);
        builder.Services.AddSingleton<TestServiceImpl>();
        builder.Services.AddVaxCertGrpc(MaxMessageSize);
        builder.Services.AddGrpcHealthChecks(o => o.Services.Map("", _ => true))
            .AddCheck("test", () => HealthCheckResult.Healthy());
        builder.WebHost.ConfigureKestrel(listen);
        var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>();
        app.MapGrpcHealthChecksService();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        // Kestrel reports "http://127.0.0.1:port"; TLS clients must use the certificate's name.
        var host = scheme == "https" ? "localhost" : "127.0.0.1";
        return new LoopbackGrpcHost(app, new Uri($"{scheme}://{host}:{new Uri(bound).Port}"), probes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
