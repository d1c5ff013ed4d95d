using System.Text.Json.Nodes;
using System.Xml.Linq;
using VaxCert.Conformance;
using VaxCert.Conformance.Reporting;
using VaxCert.Conformance.Running;
using VaxCert.Testing;

namespace VaxCert.Conformance.Tests;

/// <summary>The runner on the committed VaxCert vectors and on every EU developer vector, and on corrupted copies.</summary>
public sealed class RunnerTests
{
    private static string OurVectors => Path.Combine(RepoPaths.Root, "interop-vectors");
    private static KnownIssues RepoKnownIssues => KnownIssues.Load(Path.Combine(OurVectors, "eu-known-issues.tsv"));
    private static IQrImageReader Zbar => ZbarImageReader.FromPath()
        ?? throw new Xunit.Sdk.XunitException("zbarimg not found on PATH: install zbar-tools (scripts/test.sh does)");

    private static string Failures(ConformanceReport r) =>
        string.Join("\n", r.With(FlagStatus.Failed).Select(f => $"{f.Vector} {f.Flag} expected {f.Expected}: {f.Detail}"));

    [Fact]
    public void Committed_vaxcert_vectors_all_pass_including_their_qr_images()
    {
        var report = ConformanceRun.Execute([OurVectors], RepoKnownIssues, Zbar);
        Assert.True(report.Succeeded, Failures(report));
        Assert.True(report.VectorCount >= 55, $"only {report.VectorCount} vectors");
        Assert.Equal(0, report.Count(FlagStatus.Skipped));
        Assert.Equal(0, report.Count(FlagStatus.KnownIssue));
        // Every vector states its reason, and the pictures were really read.
        Assert.Equal(report.VectorCount, report.Rows.Count(r => r.Flag == "EXPECTEDREASON" && r.Status == FlagStatus.Passed));
        Assert.Contains(report.Rows, r => r.Flag == FlagStages.PictureDecode && r.Status == FlagStatus.Passed);
    }

    [Fact]
    public void Every_eu_developer_vector_passes_with_the_known_issues_reported_not_passed()
    {
        var report = ConformanceRun.Execute([RepoPaths.EuTestData], RepoKnownIssues, Zbar);
        Assert.True(report.Succeeded, Failures(report));
        Assert.Equal(129, report.VectorCount);
        // Each known-issues row of the file shows up as a known issue, none as a pass.
        var known = report.With(FlagStatus.KnownIssue).Select(r => (r.Vector, r.Flag)).Order().ToList();
        Assert.Equal(RepoKnownIssues.Entries.Select(e => (e.Path, e.Flag)).Order(), known);
        // Skips carry their reason: only issuer-side flags and vectors without an image.
        Assert.All(report.With(FlagStatus.Skipped), r => Assert.Contains(r.Detail,
            new[] { "issuer-side flag: no verifier can check it", "vector has no 2DCODE image" }));
        Assert.Contains(report.Rows, r => r.Flag == FlagStages.PictureDecode && r.Expected == "false" && r.Status == FlagStatus.Passed);
    }

    [Fact]
    public void Without_the_known_issues_file_those_eu_flags_fail()
    {
        var report = ConformanceRun.Execute([RepoPaths.EuTestData], KnownIssues.None, null);
        var failed = report.With(FlagStatus.Failed).Select(r => (r.Vector, r.Flag)).Order().ToList();
        Assert.Equal(RepoKnownIssues.Entries.Select(e => (e.Path, e.Flag)).Order(), failed);
    }

    public static TheoryData<string, string, Action<JsonObject>> Corruptions() => new()
    {
        // A flipped expectation: the verifier disagrees with the flag.
        { "positive/vn-eu-1-20-1507-dose1-es256-cosigned.json", "EXPECTEDVERIFY", v => v["EXPECTEDRESULTS"]!["EXPECTEDVERIFY"] = false },
        // A changed character in the QR text breaks the signature (the image no longer matches either).
        { "positive/vn-eu-1-20-1525-dose1-ps256.json", "EXPECTEDVERIFY", v => v["PREFIX"] = Flip(v["PREFIX"]!.GetValue<string>()) },
        // Another person in JSON: the decoded DCC differs.
        { "positive/vn-sputnik-v-dose3-ps256-cosigned.json", "EXPECTEDVALIDJSON", v => v["JSON"]!["nam"]!["fn"] = "Somebody Else" },
        // Another expected reason.
        { "negative/signature-flipped.json", "EXPECTEDREASON", v => v["EXPECTEDREASON"]!["CODE"] = 3101 },
        // Another facility certificate in the context: the co-signature no longer checks out.
        { "positive/vn-eu-1-21-1529-dose1-es256-cosigned.json", "EXPECTEDREASON",
            v => v["TESTCTX"]!["FACILITYCERTIFICATE"] = v["TESTCTX"]!["CSCA"]!.GetValue<string>() },
    };

    private static string Flip(string prefix)
    {
        var i = prefix.Length / 2;
        return prefix[..i] + (prefix[i] == 'A' ? 'B' : 'A') + prefix[(i + 1)..];
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupted_copy_fails_naming_vector_and_flag(string vector, string flag, Action<JsonObject> corrupt)
    {
        var dir = CopyOurVectors();
        var path = Path.Combine(dir, "vaxcert", vector);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        corrupt(json);
        File.WriteAllText(path, json.ToJsonString());

        var console = new CapturedConsole();
        var exit = ConformanceRunAction.Run(new ConformanceRunRequest([dir], false, null, []), console.Console, null);

        Assert.Equal(ConformanceRunAction.Mismatch, exit);
        Assert.Contains($"vaxcert/{vector} {flag} expected", console.Output);
        Assert.Matches(@"\d+ passed, [1-9]\d* failed", console.Output);
    }

    [Fact]
    public void A_truncated_vector_file_is_a_failure_not_a_crash()
    {
        var dir = CopyOurVectors();
        var path = Path.Combine(dir, "vaxcert", "negative", "kid-unknown.json");
        File.WriteAllText(path, File.ReadAllText(path)[..500]);
        var report = ConformanceRun.Execute([dir], KnownIssues.None, null);
        var failure = Assert.Single(report.With(FlagStatus.Failed));
        Assert.Equal(("vaxcert/negative/kid-unknown.json", VectorRunner.WholeVector), (failure.Vector, failure.Flag));
    }

    [Fact]
    public void Exit_codes_success_mismatch_and_usage()
    {
        var console = new CapturedConsole();
        Assert.Equal(ConformanceRunAction.Success, ConformanceRunAction.Run(new ConformanceRunRequest([OurVectors], false, null, []), console.Console, null));
        Assert.Contains("0 failed, ", console.Output + ", ");
        Assert.Equal(ConformanceRunAction.Usage,
            ConformanceRunAction.Run(new ConformanceRunRequest([Path.Combine(OurVectors, "no-such-folder")], false, null, []), new CapturedConsole().Console, null));
        var badKnown = Path.Combine(RepoPaths.NewTempDir("known"), "k.tsv");
        File.WriteAllText(badKnown, "only-one-column\n");
        Assert.Equal(ConformanceRunAction.Usage,
            ConformanceRunAction.Run(new ConformanceRunRequest([OurVectors], false, null, [badKnown]), new CapturedConsole().Console, null));
        // The EU set without its known issues: mismatches.
        var empty = Path.Combine(RepoPaths.NewTempDir("known"), "none.tsv");
        File.WriteAllText(empty, "# nothing\n");
        Assert.Equal(ConformanceRunAction.Mismatch,
            ConformanceRunAction.Run(new ConformanceRunRequest([RepoPaths.EuTestData], false, null, [empty]), new CapturedConsole().Console, null));
    }

    [Fact]
    public void Json_and_junit_reports_are_well_formed_and_agree_with_the_run()
    {
        var dir = CopyOurVectors();
        var path = Path.Combine(dir, "vaxcert", "negative", "cwt-expired.json");
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        json["EXPECTEDRESULTS"]!["EXPECTEDEXPIRATIONCHECK"] = true;
        File.WriteAllText(path, json.ToJsonString());
        var junitPath = Path.Combine(RepoPaths.NewTempDir("junit"), "report.xml");
        var console = new CapturedConsole();
        var exit = ConformanceRunAction.Run(new ConformanceRunRequest([dir, RepoPaths.EuTestData], true, junitPath, [Path.Combine(OurVectors, "eu-known-issues.tsv")]), console.Console, null);
        Assert.Equal(ConformanceRunAction.Mismatch, exit);

        var report = JsonNode.Parse(console.Output)!.AsObject();
        var summary = report["summary"]!;
        var results = report["results"]!.AsArray();
        Assert.Equal(1, summary["failed"]!.GetValue<int>());
        Assert.Equal(results.Count, summary["passed"]!.GetValue<int>() + 1 + summary["knownIssues"]!.GetValue<int>() + summary["skipped"]!.GetValue<int>());
        var failed = Assert.Single(results, r => r!["status"]!.GetValue<string>() == "Failed");
        Assert.Equal("vaxcert/negative/cwt-expired.json", failed!["vector"]!.GetValue<string>());
        Assert.Equal("EXPECTEDEXPIRATIONCHECK", failed["flag"]!.GetValue<string>());

        var xml = XDocument.Load(junitPath);
        var suites = xml.Root!.Elements("testsuite").ToList();
        Assert.Equal(2, suites.Count);
        Assert.Equal(results.Count, suites.Sum(s => s.Elements("testcase").Count()));
        Assert.Equal(results.Count, int.Parse(xml.Root.Attribute("tests")!.Value));
        var failure = Assert.Single(xml.Descendants("failure"));
        Assert.Equal("vaxcert/negative/cwt-expired.json EXPECTEDEXPIRATIONCHECK", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal(summary["knownIssues"]!.GetValue<int>() + summary["skipped"]!.GetValue<int>(), xml.Descendants("skipped").Count());
    }

    private static string CopyOurVectors()
    {
        var dir = RepoPaths.NewTempDir("conformance");
        foreach (var file in Directory.EnumerateFiles(OurVectors, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(OurVectors, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }
}
