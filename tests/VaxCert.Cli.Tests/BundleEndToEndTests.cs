using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Testing;
using FacilityAttestation = VaxCert.Core.Chain.FacilityAttestation;

namespace VaxCert.Cli.Tests;

/// <summary>
/// Issue 13's done criterion, end to end: the gRPC server (dev keys, SQLite ledger) issues two certificates, one is revoked
/// over gRPC, <c>vaxcert bundle build</c> turns the ledger into a signed bundle, and <c>vaxcert verify --bundle</c> answers
/// REVOKED (Invalid, 7101) for it and Valid for the other, offline. A changed byte and an expired bundle are refused with
/// their typed reasons.
/// </summary>
public sealed class BundleEndToEndTests
{
    private static readonly string Keys = RepoPaths.KeysDev;
    private static readonly string Anchor = Path.Combine(Keys, DevPkiLayout.CscaCertificate);

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    internal static IssueRequest CoSigned(int seed)
    {
        var record = SampleRecords.Create(new Random(seed), "HN001");
        using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.FacilityCertificate("HN001")),
            Path.Combine(Keys, DevPkiLayout.FacilityKey("HN001")));
        var dcc = DccMapper.EncodeDcc(record, IssuerSettings.Default)!;
        var attestation = FacilityAttestation.Create(facility, dcc, record.Nationality);
        return new IssueRequest
        {
            FacilityCode = "HN001", FacilityRecordId = $"R-{seed}",
            FamilyName = record.FamilyName, GivenName = record.GivenName, DateOfBirth = record.DateOfBirth, Nationality = record.Nationality,
            TargetedDisease = record.TargetedDisease, TotalDoses = record.TotalDoses, DateOfVaccination = record.DateOfVaccination.ToString("yyyy-MM-dd"),
            DoseNumber = record.DoseNumber, VaccineType = record.VaccineType, VaccineProduct = record.VaccineProduct, Manufacturer = record.Manufacturer,
            CertificateId = record.CertificateId,
            Attestation = new Grpc.V1.FacilityAttestation
            {
                Kid = ByteString.CopyFrom(attestation.KeyId),
                Algorithm = attestation.Algorithm == CoseAlgorithm.ES256 ? SignatureAlgorithm.Es256 : SignatureAlgorithm.Ps256,
                Signature = ByteString.CopyFrom(attestation.Value),
            },
        };
    }

    private static (int Exit, JsonObject Json) VerifyJson(string hc1, string bundle, string? at = null)
    {
        var w = new StringWriter();
        var exit = VerifyAction.Run(new VerifyRequest(hc1, null, null, at, Json: true, NoSchema: false, MaxTrustAge: null, Bundle: bundle, Anchor: Anchor),
            Console(w), new StringReader(""));
        return (exit, JsonNode.Parse(w.ToString())!.AsObject());
    }

    [Fact]
    public async Task Revoked_over_grpc_then_bundled_verifies_as_revoked_offline()
    {
        var dir = RepoPaths.NewTempDir("bundle-e2e");
        var ledger = "sqlite:" + Path.Combine(dir, "ledger.db");
        string revokedHc1, keptHc1;
        await using (var server = await IssuerServer.StartAsync(new ServerSettings { Listen = "127.0.0.1:0", Dev = true, KeysDir = Keys, Ledger = ledger }, _ => { }))
        {
            using var channel = GrpcChannels.Create(server.Address);
            var client = new Issuer.IssuerClient(channel);
            var revoked = await client.IssueAsync(CoSigned(1301));
            var kept = await client.IssueAsync(CoSigned(1302));
            var revocation = await client.RevokeAsync(new RevokeRequest { Uvci = revoked.Uvci, Reason = "issued in error" });
            Assert.False(revocation.AlreadyRevoked);
            (revokedHc1, keptHc1) = (revoked.Hc1, kept.Hc1);
        }

        var bundle = Path.Combine(dir, "bundle.vxb");
        var log = new StringWriter();
        Assert.Equal(BundleBuild.Written, await BundleBuild.RunAsync(new BundleBuildRequest(ledger, bundle, Keys), Console(log), TimeProvider.System, default));
        Assert.Contains("1 revoked certificate(s) (3 hashes)", log.ToString());

        var (exit, json) = VerifyJson(revokedHc1, bundle);
        Assert.Equal(VerifyAction.Invalid, exit);
        Assert.Equal(("Invalid", 7101, "Revoked"), (json["outcome"]!.GetValue<string>(), json["reason"]!.GetValue<int>(), json["reasonName"]!.GetValue<string>()));

        var (keptExit, keptJson) = VerifyJson(keptHc1, bundle);
        Assert.Equal(VerifyAction.Valid, keptExit);
        Assert.Equal("Valid", keptJson["outcome"]!.GetValue<string>());
        // The revocation and facility co-signature checks the bundle brings ran and passed.
        var additional = keptJson["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "Additional")!;
        Assert.Equal("Passed", additional["status"]!.GetValue<string>());

        // What the border officer reads.
        var text = new StringWriter();
        Assert.Equal(VerifyAction.Invalid, VerifyAction.Run(new VerifyRequest(revokedHc1, null, null, null, false, false, null, Bundle: bundle, Anchor: Anchor),
            Console(text), new StringReader("")));
        Assert.Contains("INVALID", text.ToString());
        Assert.Contains("The certificate has been revoked.", text.ToString());
        Assert.Contains("7101", text.ToString());
    }

    [Fact]
    public async Task A_changed_byte_a_foreign_anchor_or_an_expired_date_is_refused_with_a_typed_reason()
    {
        var dir = RepoPaths.NewTempDir("bundle-refused");
        var ledger = "sqlite:" + Path.Combine(dir, "ledger.db");
        await using (var l = await VaxCert.Ledger.LedgerSpec.Parse(ledger).OpenAsync()) { } // an empty ledger
        var bundle = Path.Combine(dir, "bundle.vxb");
        Assert.Equal(BundleBuild.Written, await BundleBuild.RunAsync(new BundleBuildRequest(ledger, bundle, Keys, ValidFor: "24h"),
            Console(new StringWriter()), TimeProvider.System, default));
        var hc1 = IssueLocally();
        Assert.Equal(VerifyAction.Valid, VerifyJson(hc1, bundle).Exit);

        var bytes = File.ReadAllBytes(bundle);
        bytes[bytes.Length / 2] ^= 0x40;
        var tampered = Path.Combine(dir, "tampered.vxb");
        File.WriteAllBytes(tampered, bytes);
        var (exit, json) = VerifyJson(hc1, tampered);
        Assert.Equal(VerifyAction.Indeterminate, exit);
        Assert.Equal((8204, "BadSignature"), (json["bundleFailure"]!.GetValue<int>(), json["bundleFailureName"]!.GetValue<string>()));

        var later = DateTimeOffset.UtcNow.AddDays(3).ToString("O");
        (exit, json) = VerifyJson(hc1, bundle, later);
        Assert.Equal(VerifyAction.Indeterminate, exit);
        Assert.Equal("Expired", json["bundleFailureName"]!.GetValue<string>());
        Assert.InRange(json["bundleAgeSeconds"]!.GetValue<long>(), 3 * 86400 - 120, 3 * 86400 + 120);

        // A foreign anchor: the facility CA is a real root, but not the one the bundle chains to.
        var w = new StringWriter();
        Assert.Equal(BundleVerify.Refused, BundleVerify.Run(bundle, Path.Combine(Keys, DevPkiLayout.FacilityCaCertificate), null, null, Console(w)));
        Assert.Contains("ForeignSigner (8205)", w.ToString());
        w = new StringWriter();
        Assert.Equal(BundleVerify.Accepted, BundleVerify.Run(bundle, Anchor, null, null, Console(w)));
        Assert.Contains("TRUST BUNDLE ACCEPTED", w.ToString());
    }

    [Fact]
    public async Task A_delta_built_against_the_previous_bundle_applies_and_carries_a_new_revocation()
    {
        var dir = RepoPaths.NewTempDir("bundle-delta");
        var ledgerPath = Path.Combine(dir, "ledger.db");
        var ledger = "sqlite:" + ledgerPath;
        string hc1;
        await using (var server = await IssuerServer.StartAsync(new ServerSettings { Listen = "127.0.0.1:0", Dev = true, KeysDir = Keys, Ledger = ledger }, _ => { }))
        {
            using var channel = GrpcChannels.Create(server.Address);
            var client = new Issuer.IssuerClient(channel);
            var issued = await client.IssueAsync(CoSigned(1303));
            hc1 = issued.Hc1;
            var first = Path.Combine(dir, "b1.vxb");
            var clock = new Clock(DateTimeOffset.UtcNow.AddMinutes(-10));
            Assert.Equal(0, await BundleBuild.RunAsync(new BundleBuildRequest(ledger, first, Keys), Console(new StringWriter()), clock, default));
            await client.RevokeAsync(new RevokeRequest { Uvci = issued.Uvci, Reason = "fraud" });
            var second = Path.Combine(dir, "b2.vxb");
            var delta = Path.Combine(dir, "d12.vxb");
            var log = new StringWriter();
            Assert.Equal(0, await BundleBuild.RunAsync(new BundleBuildRequest(ledger, second, Keys, Base: first, DeltaOut: delta), Console(log), TimeProvider.System, default));
            Assert.Contains("delta written", log.ToString());
            Assert.True(new FileInfo(delta).Length < new FileInfo(second).Length);

            Assert.Equal(VerifyAction.Valid, VerifyJson(hc1, first).Exit);
            var w = new StringWriter();
            Assert.Equal(BundleVerify.Accepted, BundleVerify.Run(delta, Anchor, null, first, Console(w)));
            Assert.Contains("3 revocation hash(es)", w.ToString());
            w = new StringWriter();
            Assert.Equal(BundleVerify.Refused, BundleVerify.Run(delta, Anchor, null, null, Console(w)));
            Assert.Contains("DeltaBaseMismatch (8211)", w.ToString());
        }
    }

    [Fact]
    public async Task The_border_view_names_codes_from_the_bundles_value_sets()
    {
        var dir = RepoPaths.NewTempDir("bundle-valuesets");
        var ledger = "sqlite:" + Path.Combine(dir, "ledger.db");
        await using (var l = await VaxCert.Ledger.LedgerSpec.Parse(ledger).OpenAsync()) { } // an empty ledger
        // A newer product value set whose every entry has a Vietnamese name the shipped sets do not have.
        var products = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.EuDcc, "valuesets", "vaccine-medicinal-product.json")))!.AsObject();
        products["valueSetDate"] = "2026-11-30";
        foreach (var (_, entry) in products["valueSetValues"]!.AsObject())
            entry!["displayVi"] = "Tên-bộ-" + entry["display"]!.GetValue<string>();
        var sets = Path.Combine(dir, "vaccine-medicinal-product.json");
        File.WriteAllText(sets, products.ToJsonString());
        var bundle = Path.Combine(dir, "bundle.vxb");
        Assert.Equal(BundleBuild.Written, await BundleBuild.RunAsync(new BundleBuildRequest(ledger, bundle, Keys, ValueSets: sets),
            Console(new StringWriter()), TimeProvider.System, default));

        var (exit, json) = VerifyJson(IssueLocally(), bundle);
        Assert.Equal(VerifyAction.Valid, exit);
        var product = json["certificate"]!["display"]!.AsArray().Single(f => f!["number"]!.GetValue<int>() == 9)!;
        Assert.StartsWith("Tên-bộ-", product["valueVi"]!.GetValue<string>());

        var text = new StringWriter();
        Assert.Equal(VerifyAction.Valid, VerifyAction.Run(new VerifyRequest(IssueLocally(), null, null, null, false, false, null, Bundle: bundle, Anchor: Anchor),
            Console(text), new StringReader("")));
        Assert.Contains("Tên-bộ-", text.ToString());
    }

    private static string IssueLocally()
    {
        using var dsc = SoftwareCoseSigner.FromPemFiles(Path.Combine(Keys, DevPkiLayout.DscEs256Certificate), Path.Combine(Keys, DevPkiLayout.DscEs256Key));
        var record = SampleRecords.Create(new Random(7), "HN001");
        var issued = VaxCert.Core.Issuance.Hc1Issuer.Create(dsc).Issue(record);
        return issued.Certificate!.Hc1;
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
