using VaxCert.Grpc.Client;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>One h2c host and one client shared by a test class (starting Kestrel per test would slow the suite).</summary>
public sealed class CleartextHostFixture : IAsyncLifetime
{
    public LoopbackGrpcHost Host { get; private set; } = null!;
    public GrpcClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await LoopbackGrpcHost.StartCleartextAsync();
        Client = new GrpcClient(Host.Address);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
