using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Conformance.Generation;
using VaxCert.Conformance.Running;
using VaxCert.Conformance.Vectors;
using VaxCert.Core.Decoding;
using VaxCert.Testing;
using VaxCert.Verifier;

namespace VaxCert.Conformance.Tests;

/// <summary>The generator is the source of interop-vectors/vaxcert: it reproduces the committed files and covers every reason.</summary>
public sealed class GeneratorTests
{
    private static string Committed => Path.Combine(RepoPaths.Root, "interop-vectors", VectorGenerator.Subfolder);

    /// <summary>Fields that change on every run: signatures are randomized (ECDSA k, PSS salt), and so is a minted DSC's key.</summary>
    private static readonly HashSet<string> RandomFields = ["COSE", "COMPRESSED", "BASE45", "PREFIX", "2DCODE"];

    [Fact]
    public void Fresh_generation_verifies_and_matches_the_committed_vectors_apart_from_signatures()
    {
        var output = RepoPaths.NewTempDir("generate");
        var result = VectorGenerator.Generate(output, RepoPaths.KeysDev);
        var report = ConformanceRun.Execute([result.Folder], KnownIssues.None, null);
        Assert.True(report.Succeeded, string.Join("\n", report.With(FlagStatus.Failed).Select(f => $"{f.Vector} {f.Flag}: {f.Detail}")));

        var committed = Directory.EnumerateFiles(Committed, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Committed, p).Replace('\\', '/')).Order().ToList();
        var fresh = Directory.EnumerateFiles(result.Folder, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(result.Folder, p).Replace('\\', '/')).Order().ToList();
        Assert.Equal(committed, fresh);
        var stale = new List<string>();
        foreach (var file in committed)
        {
            var a = Stable(JsonNode.Parse(File.ReadAllText(Path.Combine(Committed, file)))!.AsObject());
            var b = Stable(JsonNode.Parse(File.ReadAllText(Path.Combine(result.Folder, file)))!.AsObject());
            if (!JsonNode.DeepEquals(a, b)) stale.Add(file);
        }
        Assert.True(stale.Count == 0, "regenerate with `vaxcert conformance generate`; stale: " + string.Join(", ", stale));
    }

    private static JsonObject Stable(JsonObject vector)
    {
        foreach (var field in RandomFields) vector.Remove(field);
        // Minted signers (key-usage, chain, no-EKU) get a fresh key each run; the dev PKI's DSCs are fixed and compared.
        if (vector["TESTCTX"]?["DESCRIPTION"]?.GetValue<string>() is { } d && (d.Contains("EKU") || d.Contains("facility CA, not")))
            vector["TESTCTX"]!.AsObject().Remove("CERTIFICATE");
        return vector;
    }

    [Fact]
    public void Every_reason_code_has_a_vector_or_is_listed_as_not_expressible()
    {
        var reasons = VectorDiscovery.Find(Committed).Select(f => f.Vector!.ExpectedReasonCode!.Value).ToHashSet();
        var missing = Enum.GetValues<ReasonCode>()
            .Where(c => !reasons.Contains((int)c) && !VectorGenerator.NotExpressible.ContainsKey(c)).ToList();
        Assert.True(missing.Count == 0, "no vector for: " + string.Join(", ", missing));
        // Not-expressible means no vector claims it either, and docs/reason-codes.md documents every code covered.
        Assert.DoesNotContain(reasons, r => VectorGenerator.NotExpressible.ContainsKey((ReasonCode)r));
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "reason-codes.md"));
        Assert.All(Enum.GetValues<ReasonCode>(), c => Assert.Contains($"| {(int)c} | `{c}` |", doc));
        var coverage = JsonNode.Parse(File.ReadAllText(Path.Combine(Committed, VectorGenerator.CoverageFile)))!["reasonCodes"]!.AsObject();
        Assert.Equal(Enum.GetValues<ReasonCode>().Length, coverage.Count);
    }

    [Fact]
    public void Positive_vectors_cover_the_brief()
    {
        var positives = VectorDiscovery.Find(Path.Combine(Committed, "positive")).Select(f => f.Vector!).ToList();
        var dccs = positives.Select(v => v.Dcc!).ToList();
        Assert.Equal(8, dccs.Select(d => d["v"]![0]!["mp"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal([1, 2, 3], dccs.Select(d => d["v"]![0]!["dn"]!.GetValue<int>()).Distinct().Order());
        Assert.Contains(dccs, d => d["dob"]!.GetValue<string>().Length == 4);
        Assert.Contains(dccs, d => d["dob"]!.GetValue<string>().Length == 7);
        Assert.Contains(positives, v => v.ContextText("FACILITYCA") is not null);
        Assert.Contains(positives, v => v.ContextText("FACILITYCA") is null);
        var algs = positives.Select(v => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(v.ContextText("CERTIFICATE")!)).GetRSAPublicKey() is null).Distinct();
        Assert.Equal(2, algs.Count());
        // Every Vietnamese vowel with each tone (lower-case after normalisation), and đ.
        var names = string.Concat(dccs.Select(d => d["nam"]!["fn"] + " " + d["nam"]!["gn"])).ToLowerInvariant();
        foreach (var c in "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
            Assert.True(names.Contains(c), $"no name uses '{c}'");
    }

    [Fact]
    public void The_independent_peer_verifies_every_positive_vector_at_ministry_level()
    {
        var positives = VectorDiscovery.Find(Path.Combine(Committed, "positive")).Select(f => f.Vector!).ToList();
        Assert.NotEmpty(positives);
        var problems = new List<string>();
        foreach (var v in positives)
        {
            var pem = PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String(v.ContextText("CERTIFICATE")!));
            var answer = DccPeer.Verify(v.Text("PREFIX")!, pem);
            if (!answer.Valid) problems.Add($"{v.RelativePath}: {answer.Status}");
            else if (!DccComparison.SemanticallyEqual(answer.Dcc, v.Dcc)) problems.Add($"{v.RelativePath}: peer decoded another DCC");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
