using System.Text.Json;
using VaxCert.Testing;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>
/// Runs tests/interop/python/interop_client.py (the real gRPC C-core stack from Debian's python3-grpcio) against a host
/// and returns one JSON object per case. Missing python3-grpcio fails the test with an install hint; never a skip.
/// </summary>
public static class PythonGrpcClient
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "Install the Debian packages: apt-get install python3-grpcio python3-grpc-tools " +
                                       "(the system /usr/bin/python3 is used on purpose, not a pyenv interpreter).";

    public static IReadOnlyDictionary<string, JsonElement> Run(Uri address, IEnumerable<string> cases,
        (string Ca, string? Cert, string? Key)? tls = null)
    {
        RequireGrpcio();
        var args = new List<string>
        {
            Path.Combine(RepoPaths.Root, "tests", "interop", "python", "interop_client.py"),
            "--target", $"{address.Host}:{address.Port}",
            "--proto", Path.Combine(RepoPaths.Root, "tests", "VaxCert.Grpc.Tests", "Protos", "test_service.proto"),
            "--proto-root", Path.Combine(RepoPaths.Root, "proto"),
        };
        if (tls is { } t)
        {
            args.AddRange(["--ca", t.Ca, "--authority", "localhost"]);
            if (t.Cert is not null) args.AddRange(["--cert", t.Cert, "--key", t.Key!]);
        }
        args.AddRange(cases);
        var (exit, stdout, stderr) = ExternalTool.Run(Python, args, timeoutMs: 120_000);
        if (exit != 0)
            throw new Xunit.Sdk.XunitException($"python interop client exited {exit}:\n{stderr}\n{stdout}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("case").GetString()!, e => e);
    }

    private static void RequireGrpcio()
    {
        ExternalTool.RequireFile("The system python interpreter", InstallHint, Python);
        var (exit, _, stderr) = ExternalTool.Run(Python, ["-c", "import grpc, grpc_tools.protoc, google.protobuf"]);
        if (exit != 0)
            throw new Xunit.Sdk.XunitException($"python3-grpcio / python3-grpc-tools are missing ({stderr.Trim()}). {InstallHint}");
    }
}
