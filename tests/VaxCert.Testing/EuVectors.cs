using System.Text.Json.Nodes;

namespace VaxCert.Testing;

/// <summary>One EU dgc-testdata vector, read in place from ../shared/eu-dcc/testdata.</summary>
public sealed record EuVector(string RelativePath, JsonObject Json)
{
    public string? Field(string name) => Json[name]?.GetValue<string>();
    public JsonObject? Dcc => Json["JSON"] as JsonObject;
    public JsonObject Context => (JsonObject)Json["TESTCTX"]!;
    public string? CertificateBase64 => Context["CERTIFICATE"]?.GetValue<string>();
    public string? ValidationClock => Context["VALIDATIONCLOCK"]?.GetValue<string>();

    /// <summary>The expected flag: true, false, or null when absent (then the check is not run).</summary>
    public bool? Expected(string flag)
        => (Json["EXPECTEDRESULTS"] as JsonObject)?[flag] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    public override string ToString() => RelativePath;

    public static IReadOnlyList<EuVector> All()
    {
        var root = RepoPaths.EuTestData;
        return Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}2DCode{Path.DirectorySeparatorChar}raw{Path.DirectorySeparatorChar}"))
            .Order(StringComparer.Ordinal)
            .Select(p => new EuVector(Path.GetRelativePath(root, p), (JsonObject)JsonNode.Parse(File.ReadAllText(p))!))
            .ToList();
    }

    /// <summary>xunit MemberData: vector paths.</summary>
    public static IEnumerable<object[]> Paths() => All().Select(v => new object[] { v.RelativePath });

    public static EuVector Load(string relativePath)
        => new(relativePath, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.EuTestData, relativePath)))!);
}
