using Grpc.Net.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Testing;

namespace VaxCert.Server.Tests.Support;

/// <summary>
/// A real server with mTLS callers as deployed for the operator operations (mass revocation, re-issue): two facilities
/// (facility-HN001, facility-HCM01, both may revoke), an HN001 operator (operator-HN), an admin for every facility
/// (ministry-admin) and a facility caller for every facility (facility-all); metrics on, as in production, so the ledger
/// is wrapped by the metering decorator, which must keep every capability. Clients by subject CN.
/// </summary>
internal sealed class OperatorServer : IAsyncDisposable
{
    private readonly Dictionary<string, GrpcChannel> _channels = [];
    private readonly TlsFiles _pki;

    private OperatorServer(TlsFiles pki, IssuerServer server)
    {
        _pki = pki;
        Server = server;
    }

    public IssuerServer Server { get; }

    public static async Task<OperatorServer> StartAsync(string prefix)
    {
        var pki = new TlsFiles(RepoPaths.NewTempDir(prefix), "ops");
        var (cert, key, _) = pki.Issue("localhost", server: true);
        var settings = ServerHost.Settings();
        settings.Tls = new TlsSettings { Certificate = cert, Key = key, ClientCa = pki.CaPem };
        settings.MetricsListen = "127.0.0.1:0";
        settings.Callers =
        [
            new CallerSettings { Name = "hanoi", SubjectCn = "facility-HN001", Facilities = ["HN001"], CanRevoke = true },
            new CallerSettings { Name = "saigon", SubjectCn = "facility-HCM01", Facilities = ["HCM01"], CanRevoke = true },
            new CallerSettings { Name = "hanoi-ops", SubjectCn = "operator-HN", Facilities = ["HN001"], Role = "operator" },
            new CallerSettings { Name = "admin", SubjectCn = "ministry-admin", Facilities = ["*"], Role = "admin" },
            new CallerSettings { Name = "all-facilities", SubjectCn = "facility-all", Facilities = ["*"], CanRevoke = true },
        ];
        return new OperatorServer(pki, await ServerHost.StartAsync(settings));
    }

    /// <summary>A client authenticated with a certificate for subject CN <paramref name="cn"/>.</summary>
    public Issuer.IssuerClient Client(string cn)
    {
        if (!_channels.TryGetValue(cn, out var channel))
            _channels[cn] = channel = ServerHost.Channel(Server, _pki.Issue(cn, server: false).WithKey, _pki.CaPem);
        return new Issuer.IssuerClient(channel);
    }

    /// <summary>Issues one valid record per seed as caller <paramref name="cn"/> (HCM01 for facility-HCM01, else HN001).</summary>
    public async Task<List<IssueResponse>> IssueAsync(string cn, params int[] seeds)
    {
        var facility = cn == "facility-HCM01" ? "HCM01" : "HN001";
        var client = Client(cn);
        var issued = new List<IssueResponse>();
        foreach (var seed in seeds)
            issued.Add(await client.IssueAsync(Requests.From(Submissions.Valid(seed, facility))));
        return issued;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
            channel.Dispose();
        await Server.DisposeAsync();
    }
}
