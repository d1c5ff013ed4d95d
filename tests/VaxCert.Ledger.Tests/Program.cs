namespace VaxCert.Ledger.Tests;

/// <summary>
/// Entry point of the test assembly (the test SDK's generated one is turned off): test runners ignore it; the crash test
/// starts this assembly as a child process in "crash-writer" mode and SIGKILLs it mid-stream.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["crash-writer", var path, var tag])
            return await CrashWriter.RunAsync(path, tag);
        await Console.Error.WriteLineAsync("VaxCert.Ledger.Tests is a test assembly: run it with dotnet test.");
        return 2;
    }
}

/// <summary>Writes certificates (and some revocations) from several tasks until killed; prints each committed uvci.</summary>
internal static class CrashWriter
{
    public static async Task<int> RunAsync(string path, string tag)
    {
        await using var ledger = await SqliteLedger.OpenAsync(path);
        var output = new object();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var cert = Samples.Certificate($"CRASH-{tag}-{w}", $"rec-{i}");
                await ledger.RecordIssuedAsync(cert);
                if (i % 5 == 4)
                    await ledger.RevokeAsync(cert.Uvci, "crash-test");
                lock (output)
                {
                    Console.Out.WriteLine(cert.Uvci);
                    Console.Out.Flush();
                }
            }
        })));
        return 0;
    }
}
