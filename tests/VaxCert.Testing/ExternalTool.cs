using System.Diagnostics;

namespace VaxCert.Testing;

/// <summary>
/// Finds real external parts (SoftHSM2, PostgreSQL, node, zbarimg, python grpcio). A test that needs one fails with a
/// clear message when it is missing: scripts/test.sh installs them, so a missing tool is a set-up bug, never a pass.
/// </summary>
public static class ExternalTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first existing path among candidates, or a failed assertion naming what to install.</summary>
    public static string RequireFile(string what, string installHint, params string[] candidates)
    {
        foreach (var c in candidates)
            if (File.Exists(c))
                return c;
        throw new Xunit.Sdk.XunitException($"{what} is required but was not found ({string.Join(", ", candidates)}). {installHint}");
    }

    /// <summary>An executable on PATH, or a failed assertion.</summary>
    public static string RequireOnPath(string exe, string installHint)
    {
        var found = FindOnPath(exe);
        return found ?? throw new Xunit.Sdk.XunitException($"'{exe}' is required on PATH but was not found. {installHint}");
    }

    public static string? FindOnPath(string exe)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs a process to completion and returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args,
        string? stdin = null, string? workingDirectory = null, IDictionary<string, string>? env = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{fileName} did not finish in {timeoutMs} ms");
        }
        return (p.ExitCode, outTask.Result, errTask.Result);
    }
}
