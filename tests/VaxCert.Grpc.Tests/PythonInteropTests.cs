using System.Text.Json;
using VaxCert.Grpc.Hosting;
using VaxCert.Grpc.Tests.Support;

namespace VaxCert.Grpc.Tests;

/// <summary>Runs every h2c case once through python grpcio (C-core) against a real Kestrel host.</summary>
public sealed class PythonCleartextRun : IAsyncLifetime
{
    public static readonly string[] Cases =
    [
        "echo", "fail_utf8", "fail_details", "permission", "unauthenticated", "internal", "unknown_method", "too_large",
        "compressed", "deadline", "stream", "stream_fail", "cancel", "whoami", "concurrent", "health",
    ];

    public LoopbackGrpcHost Host { get; private set; } = null!;
    public IReadOnlyDictionary<string, JsonElement> Results { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await LoopbackGrpcHost.StartCleartextAsync();
        Results = await Task.Run(() => PythonGrpcClient.Run(Host.Address, Cases));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The behaviours VaxCert relies on, as seen by another gRPC stack: python grpcio (C-core) from Debian.</summary>
public class PythonInteropTests(PythonCleartextRun run) : IClassFixture<PythonCleartextRun>
{
    private JsonElement Case(string name) => run.Results[name];
    private string Code(string name) => Case(name).GetProperty("code").GetString()!;
    private string Details(string name) => Case(name).GetProperty("details").GetString()!;
    private int[] Messages(string name) => Case(name).GetProperty("messages").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Fact]
    public void Every_case_ran() => Assert.Equal(PythonCleartextRun.Cases.Order(), run.Results.Keys.Order());

    [Fact]
    public void Unary_ok_round_trips_utf8_and_bytes()
    {
        Assert.Equal("OK", Code("echo"));
        Assert.Equal("Nguyễn ✓", Case("echo").GetProperty("text").GetString());
        Assert.Equal("000102", Case("echo").GetProperty("payload_hex").GetString());
    }

    [Fact]
    public void Non_ascii_status_message_is_decoded_exactly()
    {
        Assert.Equal("INVALID_ARGUMENT", Code("fail_utf8"));
        Assert.Equal("họ tên – ünïcode ✓ 100%", Details("fail_utf8"));
    }

    [Fact]
    public void Status_details_decode_as_google_rpc_error_info()
    {
        var info = Case("fail_details").GetProperty("info");
        Assert.Equal("DOSE_NUMBER_OUT_OF_RANGE", info.GetProperty("reason").GetString());
        Assert.Equal("dose_number", info.GetProperty("field").GetString());
        Assert.Equal(3, info.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("permission", "PERMISSION_DENIED", "facility not allowed")]
    [InlineData("unauthenticated", "UNAUTHENTICATED", "no credentials")]
    [InlineData("internal", "INTERNAL", "internal error")]
    public void Handler_statuses_map_to_python_codes(string name, string code, string details)
    {
        Assert.Equal(code, Code(name));
        Assert.Equal(details, Details(name));
    }

    [Fact]
    public void Unknown_method_is_unimplemented() => Assert.Equal("UNIMPLEMENTED", Code("unknown_method"));

    [Fact]
    public void Oversized_request_is_resource_exhausted() => Assert.Equal("RESOURCE_EXHAUSTED", Code("too_large"));

    [Fact]
    public void Gzip_compressed_request_is_accepted() => Assert.Equal("OK", Code("compressed")); // grpc-dotnet decompresses; the cap applies after

    [Fact]
    public async Task Deadline_is_exceeded_and_the_handler_is_cancelled()
    {
        Assert.Equal("DEADLINE_EXCEEDED", Code("deadline"));
        await run.Host.Probes.Cancelled("py-deadline");
    }

    [Fact]
    public void Server_stream_delivers_all_messages() => Assert.Equal([1, 2, 3, 4, 5], Messages("stream"));

    [Fact]
    public void Stream_error_arrives_after_the_messages()
    {
        Assert.Equal("UNAVAILABLE", Code("stream_fail"));
        Assert.Equal([1, 2, 3], Messages("stream_fail"));
        Assert.Equal("failed after 3 messages", Details("stream_fail"));
    }

    [Fact]
    public async Task Python_cancel_reaches_the_handler()
    {
        Assert.Equal("CANCELLED", Code("cancel"));
        Assert.Equal(1, Case("cancel").GetProperty("first").GetInt32());
        await run.Host.Probes.Cancelled("py-cancel");
    }

    [Fact]
    public void Handler_sees_python_metadata_and_peer()
    {
        Assert.Equal("79-HCM-0123", Case("whoami").GetProperty("metadata_value").GetString());
        Assert.StartsWith("ipv4:127.0.0.1:", Case("whoami").GetProperty("peer").GetString());
    }

    [Fact]
    public void Concurrent_python_calls_all_match()
    {
        Assert.True(Case("concurrent").GetProperty("all_match").GetBoolean());
        Assert.Equal(50, Case("concurrent").GetProperty("count").GetInt32());
    }

    [Fact]
    public void Health_check_works_from_python()
    {
        Assert.Equal("SERVING", Case("health").GetProperty("overall").GetString());
        Assert.Equal("NOT_FOUND", Case("health").GetProperty("unknown").GetString());
    }
}

/// <summary>mTLS through python grpcio: the same CA, client certificate required.</summary>
public class PythonTlsInteropTests
{
    private static readonly TestPki Pki = new();

    [Fact]
    public async Task Python_mtls_client_is_seen_by_the_handler_and_a_certless_one_is_refused()
    {
        await using var host = await LoopbackGrpcHost.StartTlsAsync(new GrpcTlsOptions
        {
            ServerCertificate = Pki.Server,
            ClientCertificateAuthorities = Pki.AuthorityCollection,
        });
        var dir = VaxCert.Testing.RepoPaths.NewTempDir("grpc-pem");
        var (ca, cert, key) = Pki.WritePem(dir, Pki.Client);

        var withCert = await Task.Run(() => PythonGrpcClient.Run(host.Address, ["whoami", "echo"], (ca, cert, key)));
        var withoutCert = await Task.Run(() => PythonGrpcClient.Run(host.Address, ["echo"], (ca, null, null)));

        Assert.Equal(Pki.Client.Subject, withCert["whoami"].GetProperty("client_subject").GetString());
        Assert.Equal("OK", withCert["echo"].GetProperty("code").GetString());
        Assert.Equal("UNAVAILABLE", withoutCert["echo"].GetProperty("code").GetString());
    }
}
