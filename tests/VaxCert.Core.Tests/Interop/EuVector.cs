using System.Text.Json.Nodes;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Interop;

/// <summary>One EU dgc-testdata vector (testdata/**/2DCode/raw/*.json), read in place from the shared reference data.</summary>
internal sealed class EuVector
{
    private readonly JsonObject _json;

    private EuVector(string relativePath, JsonObject json)
    {
        RelativePath = relativePath;
        _json = json;
    }

    /// <summary>Path below eu-dcc/testdata, e.g. "DE/2DCode/raw/1.json".</summary>
    public string RelativePath { get; }

    public string? Prefix => _json["PREFIX"]?.GetValue<string>();
    public JsonObject? Dcc => _json["JSON"] as JsonObject;
    public string? PngBase64 => _json["2DCODE"]?.GetValue<string>();

    /// <summary>The DSC from TESTCTX.CERTIFICATE (base64 DER) with PEM armour.</summary>
    public string CertificatePem
    {
        get
        {
            var der = _json["TESTCTX"]?["CERTIFICATE"]?.GetValue<string>()
                ?? throw new InvalidOperationException(RelativePath + " has no TESTCTX.CERTIFICATE");
            return "-----BEGIN CERTIFICATE-----\n" + der + "\n-----END CERTIFICATE-----\n";
        }
    }

    /// <summary>An EXPECTEDRESULTS flag: null when absent (the check is not run), else whether it must succeed.</summary>
    public bool? Expected(string flag) => _json["EXPECTEDRESULTS"]?[flag]?.GetValue<bool>();

    public static EuVector Load(string relativePath)
    {
        var path = Path.Combine(RepoPaths.EuTestData, relativePath);
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException(path + " is not a JSON object");
        return new EuVector(relativePath, json);
    }

    /// <summary>Every vector file, as paths relative to testdata with forward slashes.</summary>
    public static IEnumerable<string> AllRelativePaths() =>
        Directory.EnumerateFiles(RepoPaths.EuTestData, "*.json", SearchOption.AllDirectories)
            .Where(p => p.Contains(Path.Combine("2DCode", "raw"), StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(RepoPaths.EuTestData, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
