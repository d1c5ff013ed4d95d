using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Pki;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Testing;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Cli.Tests;

/// <summary>
/// Issue 13, the verifier's side of the issuer's signed revocation lists: certificates revoked over gRPC, the list
/// exported with <c>vaxcert revocations export</c> (full, then a delta), and <c>vaxcert verify --trust --revocation
/// [--revocation-delta]</c> answers REVOKED (Invalid, 7101) for exactly the revoked ones. A changed byte, a list from a
/// signer outside the trust list, or a delta given without its base is refused as the operator's input error.
/// </summary>
public sealed class RevocationListVerifyTests
{
    private static readonly string Keys = RepoPaths.KeysDev;
    private static readonly string Trust = Path.Combine(Keys, DevPkiLayout.DscEs256Certificate);

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private static (int Exit, string Output) Verify(string hc1, string? revocation, params string[] deltas)
    {
        var w = new StringWriter();
        var exit = VerifyAction.Run(new VerifyRequest(hc1, null, Trust, null, Json: true, NoSchema: false, MaxTrustAge: null,
            Revocation: revocation, RevocationDeltas: deltas), Console(w), new StringReader(""));
        return (exit, w.ToString());
    }

    private static int Reason(string json) => JsonNode.Parse(json)!["reason"]!.GetValue<int>();

    private static async Task<long> ExportAsync(string ledger, long since, string output, string mode = "VECTOR")
    {
        var overrides = new Dictionary<string, string?> { ["Dev"] = "true", ["KeysDir"] = Keys, ["Ledger"] = ledger };
        var log = new StringWriter();
        Assert.Equal(RevocationRun.Done, await RevocationRun.ExportAsync(since, output, null, overrides, Console(log), CancellationToken.None, mode));
        Assert.Contains(since == 0 ? "Full list version" : $"Delta since {since} version", log.ToString());
        var dsc = X509CertificateLoader.LoadCertificateFromFile(Trust);
        var document = RevocationListReader.TryOpen(File.ReadAllBytes(output), [dsc], out var failure);
        Assert.True(document is not null, failure.ToString());
        Assert.All(document.Publications, p => Assert.Equal(mode, RevocationListDocument.ModeName(p.Mode)));
        return document.Version;
    }

    [Fact]
    public async Task Revoked_over_grpc_then_exported_verifies_as_revoked_with_the_list_and_its_delta()
    {
        var dir = RepoPaths.NewTempDir("revocation-list-verify");
        var ledger = "sqlite:" + Path.Combine(dir, "ledger.db");
        await using var server = await IssuerServer.StartAsync(new ServerSettings { Listen = "127.0.0.1:0", Dev = true, KeysDir = Keys, Ledger = ledger }, _ => { });
        using var channel = GrpcChannels.Create(server.Address);
        var client = new Issuer.IssuerClient(channel);
        var first = await client.IssueAsync(BundleEndToEndTests.CoSigned(1401));
        var second = await client.IssueAsync(BundleEndToEndTests.CoSigned(1402));
        var kept = await client.IssueAsync(BundleEndToEndTests.CoSigned(1403));
        await client.RevokeAsync(new RevokeRequest { Uvci = first.Uvci, Reason = "issued in error" });

        var full = Path.Combine(dir, "full.cose");
        var version = await ExportAsync(ledger, 0, full);
        Assert.True(version > 0);
        foreach (var mode in new[] { "POINT", "COORDINATE" })
        {
            var other = Path.Combine(dir, mode + ".cose");
            await ExportAsync(ledger, 0, other, mode);
            Assert.Equal((VerifyAction.Invalid, VerifyAction.Valid), (Verify(first.Hc1, other).Exit, Verify(kept.Hc1, other).Exit));
        }
        Assert.Equal(VerifyAction.Valid, Verify(first.Hc1, null).Exit); // without a list nothing tells the verifier
        var (exit, json) = Verify(first.Hc1, full);
        Assert.Equal(VerifyAction.Invalid, exit);
        Assert.Equal(7101, Reason(json));
        Assert.Equal(version, JsonNode.Parse(json)!["revocationList"]!["version"]!.GetValue<long>());
        Assert.Equal(VerifyAction.Valid, Verify(second.Hc1, full).Exit);
        Assert.Equal(VerifyAction.Valid, Verify(kept.Hc1, full).Exit);

        await client.RevokeAsync(new RevokeRequest { Uvci = second.Uvci, Reason = "duplicate person" });
        var delta = Path.Combine(dir, "delta.cose");
        var newer = await ExportAsync(ledger, version, delta);
        Assert.True(newer > version);
        Assert.Equal(VerifyAction.Valid, Verify(second.Hc1, full).Exit); // the old list alone does not know yet
        (exit, json) = Verify(second.Hc1, full, delta);
        Assert.Equal((VerifyAction.Invalid, 7101), (exit, Reason(json)));
        Assert.Equal(VerifyAction.Invalid, Verify(first.Hc1, full, delta).Exit);
        Assert.Equal(VerifyAction.Valid, Verify(kept.Hc1, full, delta).Exit);
    }

    [Fact]
    public async Task A_changed_byte_a_foreign_signer_or_a_delta_without_its_base_is_refused()
    {
        var dir = RepoPaths.NewTempDir("revocation-list-refused");
        var ledger = "sqlite:" + Path.Combine(dir, "ledger.db");
        string hc1;
        await using (var server = await IssuerServer.StartAsync(new ServerSettings { Listen = "127.0.0.1:0", Dev = true, KeysDir = Keys, Ledger = ledger }, _ => { }))
        {
            using var channel = GrpcChannels.Create(server.Address);
            var client = new Issuer.IssuerClient(channel);
            var issued = await client.IssueAsync(BundleEndToEndTests.CoSigned(1404));
            hc1 = issued.Hc1;
            await client.RevokeAsync(new RevokeRequest { Uvci = issued.Uvci, Reason = "fraud" });
        }
        var full = Path.Combine(dir, "full.cose");
        var version = await ExportAsync(ledger, 0, full);

        var bytes = File.ReadAllBytes(full);
        bytes[^10] ^= 0x01; // inside the signature
        var tampered = Path.Combine(dir, "tampered.cose");
        File.WriteAllBytes(tampered, bytes);
        var (exit, output) = Verify(hc1, tampered);
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: revocation list refused (SignatureInvalid)", output);

        // Trust only the PS256 DSC: the list's ES256 signer is foreign to it.
        var w = new StringWriter();
        exit = VerifyAction.Run(new VerifyRequest(hc1, null, Path.Combine(Keys, DevPkiLayout.DscPs256Certificate), null, true, false, null,
            Revocation: full), Console(w), new StringReader(""));
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: revocation list refused (UnknownSigner)", w.ToString());

        var delta = Path.Combine(dir, "delta.cose");
        await ExportAsync(ledger, version, delta);
        (exit, output) = Verify(hc1, delta);
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: revocation list refused (DeltaGap)", output);

        // A delta partitioned differently from the list it is applied to cannot merge.
        var pointDelta = Path.Combine(dir, "point-delta.cose");
        await ExportAsync(ledger, version - 1, pointDelta, "POINT");
        (exit, output) = Verify(hc1, full, pointDelta);
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: revocation list refused (DeltaIncompatible)", output);

        var badMode = new StringWriter();
        Assert.Equal(RevocationRun.Invalid, await RevocationRun.ExportAsync(0, delta, null,
            new Dictionary<string, string?> { ["Dev"] = "true", ["KeysDir"] = Keys, ["Ledger"] = ledger }, Console(badMode), CancellationToken.None, "DIAGONAL"));
        Assert.StartsWith("error: --partition-mode must be POINT, VECTOR or COORDINATE", badMode.ToString());

        (exit, output) = Verify(hc1, delta);
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: revocation list refused (DeltaGap)", output);

        w = new StringWriter();
        exit = VerifyAction.Run(new VerifyRequest(hc1, null, Trust, null, true, false, null, RevocationDeltas: [delta]), Console(w), new StringReader(""));
        Assert.Equal(VerifyAction.Usage, exit);
        Assert.StartsWith("error: --revocation-delta needs the full list", w.ToString());
    }
}
