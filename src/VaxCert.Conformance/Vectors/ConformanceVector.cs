using System.Text.Json.Nodes;

namespace VaxCert.Conformance.Vectors;

/// <summary>One test vector file (EU dgc-testdata shape, optionally with VaxCert extensions), read as untrusted JSON.</summary>
/// <param name="Folder">The folder the run was given (the report groups by it).</param>
/// <param name="RelativePath">Path below <paramref name="Folder"/>, with '/' separators.</param>
/// <param name="Json">The whole vector object.</param>
public sealed record ConformanceVector(string Folder, string RelativePath, JsonObject Json)
{
    /// <summary>A top-level string field, or null when absent or not a string.</summary>
    public string? Text(string key) => Json[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>TESTCTX, or an empty object.</summary>
    public JsonObject Context => Json[VectorKeys.TestContext] as JsonObject ?? [];

    /// <summary>A TESTCTX string field, or null.</summary>
    public string? ContextText(string key) => Context[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>The expected DCC (JSON field), or null.</summary>
    public JsonObject? Dcc => Json[VectorKeys.Json] as JsonObject;

    /// <summary>The EXPECTED* flags present with a boolean value, in file order.</summary>
    public IReadOnlyList<(string Flag, bool Expected)> Flags =>
        (Json[VectorKeys.ExpectedResults] as JsonObject ?? [])
            .Where(p => p.Value is JsonValue v && v.TryGetValue(out bool _))
            .Select(p => (p.Key, p.Value!.GetValue<bool>()))
            .ToList();

    /// <summary>One flag's expectation: true, false, or null when absent (then that check is not run).</summary>
    public bool? Expected(string flag) =>
        (Json[VectorKeys.ExpectedResults] as JsonObject)?[flag] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    /// <summary>EXPECTEDREASON's code, or null when the vector does not state one.</summary>
    public int? ExpectedReasonCode =>
        (Json[VectorKeys.ExpectedReason] as JsonObject)?[VectorKeys.ReasonCodeField] is JsonValue v && v.TryGetValue(out int c) ? c : null;

    /// <inheritdoc />
    public override string ToString() => RelativePath;
}
