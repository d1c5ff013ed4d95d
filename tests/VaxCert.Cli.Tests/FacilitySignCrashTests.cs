using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Issuing.Facility;
using VaxCert.Testing;
using Xunit.Abstractions;

namespace VaxCert.Cli.Tests;

/// <summary>
/// A real crash of <c>vaxcert facility sign</c>: the CLI runs as a child process on a large generated export, is killed
/// with SIGKILL twice mid-run (no chance to flush or clean up), and a third run completes. The bundle must then hold every
/// row exactly once, every line complete JSON with a co-signature that verifies.
/// </summary>
public sealed class FacilitySignCrashTests(ITestOutputHelper output)
{
    private const int Rows = 60_000;

    [Fact]
    public void Sigkill_mid_run_then_rerun_loses_no_row_duplicates_none_and_leaves_no_torn_line()
    {
        var dir = RepoPaths.NewTempDir("facility-crash");
        var export = Path.Combine(dir, "export.csv");
        SyntheticExport.WriteCsv(export, Rows);
        var bundle = Path.Combine(dir, "bundle.jsonl");

        // Kill points as bundle sizes: early, and well into the run (a line is about 0.5 KB, so ~4% and ~35% of the rows).
        foreach (var killAtBytes in new long[] { 1_000_000, 10_000_000 })
        {
            var (killed, exit, log) = RunCli(export, bundle, killAtBytes);
            Assert.True(killed, $"the run finished (exit {exit}) before it could be killed at {killAtBytes:N0} bytes: {log}");
            var bytes = File.ReadAllBytes(bundle);
            output.WriteLine($"killed at {bytes.Length:N0} bytes, {bytes.Count(b => b == '\n'):N0} complete lines, " +
                             $"torn last line: {bytes.Length > 0 && bytes[^1] != '\n'}");
        }

        var (_, finalExit, finalLog) = RunCli(export, bundle, killAtBytes: null);
        output.WriteLine(finalLog);
        Assert.True(finalExit == 0, $"the rerun must complete with every row signed (exit {finalExit}): {finalLog}");

        var text = File.ReadAllText(bundle, Encoding.UTF8);
        Assert.EndsWith("\n", text); // no torn last line
        var lines = text.Split('\n')[..^1];
        Assert.Equal(Rows, lines.Length);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<BundleEntry>(lines.Length);
        foreach (var line in lines)
        {
            var entry = BundleEntry.TryParse(line);
            Assert.True(entry is not null, "every line must be a complete bundle entry: " + line);
            Assert.True(ids.Add(entry.RecordId), "duplicated row " + entry.RecordId);
            entries.Add(entry);
        }
        for (var i = 1; i <= Rows; i++) Assert.Contains(SyntheticExport.RecordId(i), ids);

        // The signatures of lines written around the kills are as good as the rest: check a sample across the whole file.
        var verifier = new FacilityAttestationVerifier(FacilityTrust.LoadDirectory(RepoPaths.KeysDev));
        for (var i = 0; i < entries.Count; i += 997)
        {
            var e = entries[i];
            var dcc = DccMapper.EncodeDcc(e.Record, IssuerSettings.Default)!;
            Assert.Equal(FacilityCheck.Valid, verifier.Verify(dcc, e.Record.Nationality, e.Attestation, e.Record.CertificateId, DateTimeOffset.UtcNow));
        }
    }

    // Runs `vaxcert facility sign` as a child process; with killAtBytes, SIGKILLs it once the bundle has grown past that size.
    private static (bool Killed, int Exit, string Log) RunCli(string export, string bundle, long? killAtBytes)
    {
        var exe = ExternalTool.RequireFile("the vaxcert CLI build output", "Build tests/VaxCert.Cli.Tests (it copies the CLI).",
            Path.Combine(AppContext.BaseDirectory, "vaxcert"));
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "facility", "sign", "--input", export, "--out", bundle, "--facility-code", "HN001",
                     "--cert-pem", Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate("HN001")),
                     "--key-pem", Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityKey("HN001")),
                 })
            start.ArgumentList.Add(a);
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var killed = false;
        if (killAtBytes is { } limit)
        {
            while (!process.HasExited)
            {
                if (File.Exists(bundle) && new FileInfo(bundle).Length >= limit)
                {
                    process.Kill(entireProcessTree: false); // SIGKILL on Linux: no flush, no finally blocks
                    killed = true;
                    break;
                }
                Thread.Sleep(5);
            }
        }
        process.WaitForExit();
        lock (log) return (killed && process.ExitCode != 0, process.ExitCode, log.ToString());
    }
}
