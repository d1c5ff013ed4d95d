using System.Text.Json;
using Google.Protobuf;
using VaxCert.Testing;

namespace VaxCert.Server.Tests.Support;

/// <summary>One call as tests/interop/python/server_client.py reports it.</summary>
internal sealed record PythonCall(string Code, string Details, string Reason, string Field, IReadOnlyList<JsonElement> Responses);

/// <summary>
/// Runs tests/interop/python/server_client.py (Debian python3-grpcio: the real gRPC C-core stack) against a server.
/// Missing python3-grpcio fails the test with an install hint; never a skip.
/// </summary>
internal static class PythonServerClient
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "Install the Debian packages: apt-get install python3-grpcio python3-grpc-tools (system /usr/bin/python3).";

    public static IReadOnlyList<PythonCall> Run(Uri address, IEnumerable<(string Method, IMessage Request, double? Timeout)> calls,
        (string Ca, string Cert, string Key)? tls = null)
    {
        ExternalTool.RequireFile("The system python interpreter", InstallHint, Python);
        var dir = RepoPaths.NewTempDir("pycalls");
        var file = Path.Combine(dir, "calls.json");
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
        var json = "[" + string.Join(",", calls.Select(c =>
            $"{{\"method\":\"{c.Method}\",\"request\":{formatter.Format(c.Request)}" +
            (c.Timeout is { } t ? $",\"timeout\":{t.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "") + "}")) + "]";
        File.WriteAllText(file, json);
        var args = new List<string>
        {
            Path.Combine(RepoPaths.Root, "tests", "interop", "python", "server_client.py"),
            "--target", $"{address.Host}:{address.Port}", "--proto-root", Path.Combine(RepoPaths.Root, "proto"),
        };
        if (tls is { } x) args.AddRange(["--ca", x.Ca, "--cert", x.Cert, "--key", x.Key, "--authority", "localhost"]);
        args.Add(file);
        var (exit, stdout, stderr) = ExternalTool.Run(Python, args, timeoutMs: 300_000);
        if (exit != 0)
            throw new Xunit.Sdk.XunitException(stderr.Contains("No module named", StringComparison.Ordinal)
                ? $"python3-grpcio / python3-grpc-tools are missing. {InstallHint}\n{stderr}"
                : $"server_client.py exited {exit}:\n{stderr}\n{stdout}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return new PythonCall(e.GetProperty("code").GetString()!, e.GetProperty("details").GetString()!,
                e.GetProperty("reason").GetString()!, e.GetProperty("field").GetString()!, e.GetProperty("responses").EnumerateArray().ToList());
        }).ToList();
    }
}
