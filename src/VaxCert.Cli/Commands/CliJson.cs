using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Cli.Commands;

/// <summary>
/// JSON as the CLI writes it to files and stdout (certificates.jsonl, attestations.jsonl, verify --json): '+' (every HC1
/// holds some: Base45) and Vietnamese letters are written as themselves, not as \u002B and \u1EC5, so the files can be
/// read and grepped. Quotes, backslashes and control characters are still escaped, so every line stays valid JSON, and
/// the output is UTF-8. Not for embedding in HTML or a script tag (no escaping of &lt; &gt; &amp;): the CLI never does.
/// </summary>
internal static class CliJson
{
    /// <summary>One line per value (JSON lines).</summary>
    public static readonly JsonSerializerOptions Line = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented, for people reading --json output.</summary>
    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>The node as one JSON line.</summary>
    public static string ToLine(JsonNode node) => node.ToJsonString(Line);
}
