using System.Diagnostics;
using Grpc.Core;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>SIGKILL the server in the middle of a large batch, restart on the same ledger, resubmit: exactly one certificate each.</summary>
public sealed class CrashTests
{
    private const int Records = 2000;

    [Fact]
    public async Task A_server_killed_mid_batch_and_restarted_issues_every_record_exactly_once_and_the_audit_chain_verifies()
    {
        var ledger = "sqlite:" + Path.Combine(RepoPaths.NewTempDir("crash"), "ledger.db");
        var batch = Requests.Batch(10_000, Records);

        var received = 0;
        using (var child = await ChildServer.StartAsync(ledger))
        {
            using var channel = GrpcChannels.Create(child.Address);
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = new Issuer.IssuerClient(channel).IssueBatch(batch);
                await foreach (var _ in call.ResponseStream.ReadAllAsync())
                    if (++received == 300)
                        child.Kill(); // SIGKILL: no graceful stop, no flush beyond what each commit already made durable
            });
            Assert.NotEqual(StatusCode.OK, error.StatusCode);
        }
        Assert.InRange(received, 300, Records - 1);

        var results = new List<IssueBatchResult>();
        using (var child = await ChildServer.StartAsync(ledger))
        {
            using var channel = GrpcChannels.Create(child.Address);
            using var call = new Issuer.IssuerClient(channel).IssueBatch(batch);
            await foreach (var r in call.ResponseStream.ReadAllAsync())
                results.Add(r);
            child.Kill();
        }

        Assert.Equal(Records, results.Count);
        Assert.All(results, r => Assert.Equal(IssueBatchResult.OutcomeOneofCase.Issued, r.OutcomeCase));
        Assert.True(results.Count(r => r.Issued.AlreadyIssued) >= 300, "the records issued before the kill come back as already issued");
        await using var store = await LedgerSpec.Parse(ledger).OpenAsync();
        Assert.Equal(Records, (await store.GetCountsAsync()).Certificates);
        foreach (var r in results)
            Assert.Equal(r.Issued.Hc1, (await store.FindByFacilityRecordAsync("HN001", r.FacilityRecordId))!.Certificate.Hc1);
        var chain = await store.VerifyAuditChainAsync();
        Assert.True(chain.Intact, chain.FirstBreak?.ToString());
    }

    /// <summary>This test assembly started as a separate server process (Program.Main "serve").</summary>
    internal sealed class ChildServer : IDisposable
    {
        private readonly Process _process;

        private ChildServer(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<ChildServer> StartAsync(string ledger)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
                ? host : ExternalTool.RequireOnPath("dotnet", "The .NET SDK runs the child server.");
            var psi = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "exec", typeof(Program).Assembly.Location, "serve", ledger }) psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("listening on ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync(); // keep draining logs
                    return new ChildServer(process, new Uri(line["listening on ".Length..]));
                }
            }
            throw new Xunit.Sdk.XunitException($"the child server exited with {process.ExitCode} before listening");
        }

        public void Kill()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: false); // SIGKILL on Linux
        }

        public void Dispose()
        {
            Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
