using System.Text.Json;
using System.Text.Json.Nodes;
using VaxCert.Core.Issuance;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Web.Tests;

/// <summary>
/// The trust-list files an officer selects (PEM bundle, EU gateway JSON), read by the page's own loader and verifier
/// modules under Node (a file picker cannot be driven through --dump-dom; the code is the same that the bundle holds).
/// </summary>
public class TrustFileTests
{
    private static string DevPem(string alg) => File.ReadAllText(Path.Combine(RepoPaths.KeysDev, $"dsc-{alg}.crt.pem"));

    private static string IssueWithDevKey(string alg)
    {
        using var signer = SoftwareCoseSigner.FromPemFiles(
            Path.Combine(RepoPaths.KeysDev, $"dsc-{alg}.crt.pem"), Path.Combine(RepoPaths.KeysDev, $"dsc-{alg}.key.pem"));
        var result = Hc1Issuer.Create(signer).Issue(SampleRecords.Create(seed: 7));
        Assert.True(result.Succeeded, result.Message);
        return result.Certificate!.Hc1;
    }

    private static JsonObject Check(string trustText, string trustName, string hc1)
    {
        var dir = RepoPaths.NewTempDir("web-trust");
        var trustPath = Path.Combine(dir, trustName);
        var hc1Path = Path.Combine(dir, "hc1.txt");
        File.WriteAllText(trustPath, trustText);
        File.WriteAllText(hc1Path, hc1);
        var node = ExternalTool.RequireOnPath("node", "Install nodejs (scripts/test.sh does).");
        var script = Path.Combine(RepoPaths.Root, "tests", "VaxCert.Web.Tests", "node", "verify-with-trust-file.mjs");
        var (exit, stdout, stderr) = ExternalTool.Run(node, [script, trustPath, hc1Path]);
        Assert.True(exit == 0, $"node exit {exit}: {stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    [Fact]
    public void Pem_bundle_with_a_broken_entry_keeps_the_good_one_and_names_the_bad_one()
    {
        var bundle = DevPem("es256") + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        var es256 = Check(bundle, "bundle.pem", IssueWithDevKey("es256"));
        var ps256 = Check(bundle, "bundle.pem", IssueWithDevKey("ps256"));

        Assert.Equal(1, (int)es256["count"]!);
        Assert.Single(es256["problems"]!.AsArray());
        Assert.Equal(("VALID", "None"), ((string)es256["outcome"]!, (string)es256["reason"]!));
        Assert.Equal(("INDETERMINATE", "KidUnknown"), ((string)ps256["outcome"]!, (string)ps256["reason"]!));
    }

    [Fact]
    public void Gateway_json_uses_dsc_entries_only()
    {
        static string RawData(string pem) => pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))
            .Aggregate("", (a, l) => a + l.Trim());
        var csca = File.ReadAllText(Path.Combine(RepoPaths.KeysDev, "csca.crt.pem"));
        var json = JsonSerializer.Serialize(new object[]
        {
            new { kid = "AAAAAAAAAAA=", country = "VN", certificateType = "CSCA", rawData = RawData(csca) },
            new { kid = "AAAAAAAAAAA=", country = "VN", certificateType = "DSC", rawData = RawData(DevPem("ps256")) },
        });

        var answer = Check(json, "trust-list.json", IssueWithDevKey("ps256"));

        Assert.Equal(1, (int)answer["count"]!);
        Assert.Equal(("VALID", "None"), ((string)answer["outcome"]!, (string)answer["reason"]!));
    }

    [Fact]
    public void A_file_that_is_no_trust_list_is_refused_with_a_message()
    {
        var dir = RepoPaths.NewTempDir("web-trust");
        File.WriteAllText(Path.Combine(dir, "t.txt"), "hello");
        File.WriteAllText(Path.Combine(dir, "h.txt"), "HC1:");
        var node = ExternalTool.RequireOnPath("node", "Install nodejs (scripts/test.sh does).");
        var script = Path.Combine(RepoPaths.Root, "tests", "VaxCert.Web.Tests", "node", "verify-with-trust-file.mjs");

        var (exit, _, stderr) = ExternalTool.Run(node, [script, Path.Combine(dir, "t.txt"), Path.Combine(dir, "h.txt")]);

        Assert.NotEqual(0, exit);
        Assert.Contains("no CERTIFICATE block and not JSON", stderr);
    }
}
