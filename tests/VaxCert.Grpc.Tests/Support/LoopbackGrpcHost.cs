using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VaxCert.Grpc.Server;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>A real Kestrel host on a loopback port chosen by the OS, serving the test service and health.</summary>
public sealed class LoopbackGrpcHost : IAsyncDisposable
{
    /// <summary>The receive cap of test hosts: small, so size-limit cases need no large buffers.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024;

    private readonly WebApplication _app;

    private LoopbackGrpcHost(WebApplication app, Uri address, CallProbes probes, GrpcHealthService health)
    {
        _app = app;
        Address = address;
        Probes = probes;
        Health = health;
    }

    public Uri Address { get; }
    public int Port => Address.Port;
    public CallProbes Probes { get; }
    public GrpcHealthService Health { get; }

    /// <summary>Cleartext h2c on 127.0.0.1.</summary>
    public static Task<LoopbackGrpcHost> StartCleartextAsync(Action<WebApplication>? map = null) =>
        StartAsync((kestrel, options) => kestrel.ListenCleartextLoopback(0, options), "http", map);

    /// <summary>TLS on 127.0.0.1, with mTLS when <paramref name="tls"/> names client CAs.</summary>
    public static Task<LoopbackGrpcHost> StartTlsAsync(GrpcTlsOptions tls) =>
        StartAsync((kestrel, options) => kestrel.ListenTls(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), tls, options),
            "https");

    private static async Task<LoopbackGrpcHost> StartAsync(Action<KestrelServerOptions, GrpcServerOptions> listen, string scheme,
        Action<WebApplication>? map = null)
    {
        var options = new GrpcServerOptions { MaxReceiveMessageSize = MaxReceiveMessageSize };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options);
        builder.WebHost.ConfigureKestrel(kestrel => listen(kestrel, options));
        var app = builder.Build();
        var probes = new CallProbes();
        var health = new GrpcHealthService();
        TestServiceEndpoints.Map(app, probes);
        health.Map(app);
        map?.Invoke(app);
        app.MapGrpcFallback();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        // Kestrel reports "http://127.0.0.1:port"; TLS clients must use the certificate's name.
        var port = new Uri(bound).Port;
        var host = scheme == "https" ? "localhost" : "127.0.0.1";
        return new LoopbackGrpcHost(app, new Uri($"{scheme}://{host}:{port}"), probes, health);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
