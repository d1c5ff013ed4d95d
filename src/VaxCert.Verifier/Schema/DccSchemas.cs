using System.Reflection;
using System.Text.Json.Nodes;

namespace VaxCert.Verifier.Schema;

/// <summary>
/// The EU DCC JSON schemas shipped in this assembly, one per release (1.0.0, 1.0.1, 1.1.0, 1.2.0, 1.2.1 and 1.3.3, copies of
/// shared/eu-dcc/schema/by-version). A DCC is checked against the schema of its ver; 1.3.x and any later or unknown
/// version use 1.3.3, the last release (its ver pattern still rejects text that is not a version).
/// </summary>
public static class DccSchemas
{
    /// <summary>The versions shipped.</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.3"];

    /// <summary>The schema every version without its own file uses.</summary>
    public const string Latest = "1.3.3";

    private static readonly Dictionary<string, Lazy<JsonSchema>> Schemas = Versions.ToDictionary(v => v,
        v => new Lazy<JsonSchema>(() => JsonSchema.Parse(ReadResource(ResourceName(v)))), StringComparer.Ordinal);

    /// <summary>The embedded resource name of a version's schema.</summary>
    public static string ResourceName(string version) => $"VaxCert.Verifier.Resources.dcc-schema-{version}.json";

    /// <summary>The version whose schema applies to a DCC declaring <paramref name="ver"/>.</summary>
    public static string SchemaVersionFor(string? ver) => ver is not null && Schemas.ContainsKey(ver) ? ver : Latest;

    /// <summary>Validates the DCC against the schema for its ver.</summary>
    public static bool Validate(JsonObject dcc, out string? error)
    {
        var ver = dcc["ver"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        return Schemas[SchemaVersionFor(ver)].Value.Validate(dcc, out error);
    }

    internal static string ReadResource(string name)
    {
        using var stream = typeof(DccSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing: the build is broken.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
