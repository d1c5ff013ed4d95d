using System.Text.Json.Nodes;
using VaxCert.Core.Model;
using VaxCert.Verifier;

namespace VaxCert.Conformance.Generation;

/// <summary>What <see cref="VectorGenerator.Generate"/> wrote.</summary>
/// <param name="Folder">The folder holding the vectors (OUT/vaxcert).</param>
/// <param name="Files">Every vector file written, relative to <paramref name="Folder"/>.</param>
public sealed record GenerationResult(string Folder, IReadOnlyList<string> Files);

/// <summary>
/// <c>vaxcert conformance generate</c>: writes VaxCert's own vectors to OUT/vaxcert/{positive,negative}/NAME.json plus
/// OUT/vaxcert/reason-coverage.json, from the dev PKI, at a fixed clock with fixed records and UVCIs (only the signatures
/// differ between runs). The vaxcert folder is replaced as a whole; nothing else under OUT is touched.
/// </summary>
public static class VectorGenerator
{
    /// <summary>The subfolder of OUT that belongs to the generator.</summary>
    public const string Subfolder = "vaxcert";

    /// <summary>The coverage file: every reason code → vectors, or why none can exist.</summary>
    public const string CoverageFile = "reason-coverage.json";

    /// <summary>Generates into <paramref name="outputFolder"/> with the dev PKI in <paramref name="keysFolder"/>.</summary>
    public static GenerationResult Generate(string outputFolder, string keysFolder)
    {
        using var keys = DevKeys.Load(keysFolder);
        var settings = IssuerSettings.Default;
        var vectors = PositiveVectors.Create(keys, settings).Concat(NegativeVectors.Create(keys, settings))
            .Select(v => (Vector: v, Path: $"{(v.Positive ? "positive" : "negative")}/{v.Name}.json", Json: VectorWriter.ToJson(v)))
            .ToList();
        var duplicate = vectors.GroupBy(v => v.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException("two vectors named " + duplicate.Key);

        var folder = Path.Combine(Path.GetFullPath(outputFolder), Subfolder);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        foreach (var (_, path, json) in vectors)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, VectorWriter.ToText(json));
        }
        File.WriteAllText(Path.Combine(folder, CoverageFile), VectorWriter.ToText(Coverage(vectors.Select(v => (v.Vector.ExpectedReason, v.Path)))));
        return new GenerationResult(folder, vectors.Select(v => v.Path).ToList());
    }

    /// <summary>Reason codes no QR text can produce, and why.</summary>
    public static IReadOnlyDictionary<ReasonCode, string> NotExpressible => NegativeVectors.NotExpressible;

    private static JsonObject Coverage(IEnumerable<(ReasonCode Reason, string Path)> vectors)
    {
        var byReason = vectors.ToLookup(v => v.Reason, v => v.Path);
        var codes = new JsonObject();
        foreach (var code in Enum.GetValues<ReasonCode>())
        {
            codes[$"{(int)code} {code}"] = NotExpressible.TryGetValue(code, out var why)
                ? new JsonObject { ["notExpressible"] = why }
                : new JsonObject { ["vectors"] = new JsonArray(byReason[code].Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()) };
        }
        return new JsonObject { ["reasonCodes"] = codes };
    }
}
