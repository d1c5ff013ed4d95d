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
        if (args is ["crash-batch-writer", var batchPath, var batchTag])
            return await CrashWriter.RunBatchesAsync(batchPath, batchTag);
        await Console.Error.WriteLineAsync("VaxCert.Ledger.Tests is a test assembly: run it with dotnet test.");
        return 2;
    }
}

/// <summary>Writes certificates (and some revocations) from several tasks until killed; prints each committed uvci.</summary>
internal static class CrashWriter
{
    private static readonly System.Security.Cryptography.ECDsa CrashLogKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    public static async Task<int> RunAsync(string path, string tag)
    {
        await using var ledger = await SqliteLedger.OpenAsync(path);
        ledger.CommitSigner = new VaxCert.Ledger.Merkle.EcdsaTreeHeadSigner(CrashLogKey); // heads commit with their groups too
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

    public const int BatchSize = 200;

    /// <summary>The records of batch <paramref name="batch"/>: deterministic keys and content, a fresh uvci per submission.</summary>
    public static List<CertificateToRecord> Batch(string tag, int batch)
        => Enumerable.Range(batch * BatchSize, BatchSize).Select(i => Samples.Certificate($"BATCH-{tag}", $"rec-{i}")).ToList();

    /// <summary>Records batches one after another (as IssueBatch does), beside two single-call writers; prints "batch N" after each.</summary>
    public static async Task<int> RunBatchesAsync(string path, string tag)
    {
        await using var ledger = await SqliteLedger.OpenAsync(path);
        ledger.CommitSigner = new VaxCert.Ledger.Merkle.EcdsaTreeHeadSigner(CrashLogKey); // heads commit with their groups too
        var singles = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
                await ledger.RecordIssuedAsync(Samples.Certificate($"SINGLE-{tag}-{w}", $"rec-{i}"));
        }));
        var batches = Task.Run(async () =>
        {
            for (var b = 0; ; b++)
            {
                var results = await ledger.RecordIssuedManyAsync(Batch(tag, b));
                if (results.Any(r => r.Outcome != RecordOutcome.Recorded))
                    throw new InvalidOperationException($"batch {b}: a first submission was not recorded");
                Console.Out.WriteLine($"batch {b}");
                Console.Out.Flush();
            }
        });
        await Task.WhenAll(singles.Append(batches));
        return 0;
    }
}
