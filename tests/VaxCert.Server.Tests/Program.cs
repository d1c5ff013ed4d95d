using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;

namespace VaxCert.Server.Tests;

/// <summary>Child-process entry: "serve LEDGER" runs the real server (as vaxcert serve does) until killed.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["serve", var ledger])
        {
            await Console.Error.WriteLineAsync("VaxCert.Server.Tests is a test assembly: run it with dotnet test.");
            return 2;
        }
        await using var server = await IssuerServer.StartAsync(ServerHost.Settings(ledger));
        Console.WriteLine($"listening on {server.Address}");
        await server.WaitForShutdownAsync();
        return 0;
    }
}
