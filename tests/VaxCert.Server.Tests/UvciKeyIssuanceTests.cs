using VaxCert.Core.Uvci;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 12 item 1: with a UVCI key file configured, the server accepts only UVCIs derived with the facility's key from
/// (facility, record id), so the unkeyed (guessable) derivation is refused; exactly-once by UVCI still holds.
/// </summary>
public sealed class UvciKeyIssuanceTests
{
    private static async Task<(IssuerServer Server, UvciKey Key)> StartWithKeyAsync()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("uvci-key"), "uvci.key");
        var key = UvciKey.Generate();
        key.Save(path);
        var settings = ServerHost.Settings();
        settings.UvciKeyFile = path;
        return (await ServerHost.StartAsync(settings), key);
    }

    [Fact]
    public async Task Only_the_keyed_uvci_is_issued_and_a_resubmission_gets_the_same_certificate()
    {
        var (server, key) = await StartWithKeyAsync();
        await using var _ = server;
        var record = Submissions.Valid(60).Record;
        var guessable = record with { CertificateId = new DeterministicUvci("VN").For("HN001", "R-60") };
        var keyed = record with { CertificateId = new DeterministicUvci("VN", key.ForFacility("HN001")).For("HN001", "R-60") };

        var refused = await server.Service.IssueAsync(Submissions.CoSign(guessable, "HN001", "R-60"));
        var issued = await server.Service.IssueAsync(Submissions.CoSign(keyed, "HN001", "R-60"));
        var replay = await server.Service.IssueAsync(Submissions.CoSign(keyed, "HN001", "R-60"));

        Assert.Equal((RefusalKind.InvalidRequest, ReasonCodes.UvciNotDerived, "CertificateId"),
            (refused.Refusal!.Kind, refused.Refusal.Reason, refused.Refusal.Field));
        Assert.True(issued.Issued, issued.Refusal?.Message);
        Assert.Equal(key.Derive("VN", "HN001", "R-60"), issued.Certificate!.Uvci);
        Assert.True(replay.Certificate!.AlreadyIssued);
        Assert.Equal(issued.Certificate.Hc1, replay.Certificate.Hc1);
        Assert.Equal(1, (await server.Service.Ledger.GetCountsAsync()).Certificates);
    }

    [Fact]
    public async Task A_malformed_key_file_stops_the_server_without_showing_the_file()
    {
        var path = Path.Combine(RepoPaths.NewTempDir("uvci-key"), "uvci.key");
        File.WriteAllText(path, "not-a-key-but-maybe-a-secret");
        var settings = ServerHost.Settings();
        settings.UvciKeyFile = path;

        var error = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));

        Assert.Contains("UVCI key", error.Message);
        Assert.DoesNotContain("maybe-a-secret", error.ToString());
    }
}
