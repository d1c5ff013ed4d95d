using System.Text.Json;
using System.Text.Json.Nodes;
using VaxCert.Conformance.Running;

namespace VaxCert.Conformance.Reporting;

/// <summary>
/// The machine report: {"summary": {...counts, "line"}, "results": [{folder, vector, flag, expected, status, detail}]}.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>The report as a JSON object.</summary>
    public static JsonObject ToJson(ConformanceReport report) => new()
    {
        ["summary"] = new JsonObject
        {
            ["vectors"] = report.VectorCount,
            ["passed"] = report.Count(FlagStatus.Passed),
            ["failed"] = report.Count(FlagStatus.Failed),
            ["knownIssues"] = report.Count(FlagStatus.KnownIssue),
            ["skipped"] = report.Count(FlagStatus.Skipped),
            ["line"] = report.Summary,
        },
        ["results"] = new JsonArray(report.Rows.Select(r => (JsonNode)new JsonObject
        {
            ["folder"] = r.Folder,
            ["vector"] = r.Vector,
            ["flag"] = r.Flag,
            ["expected"] = r.Expected,
            ["status"] = r.Status.ToString(),
            ["detail"] = r.Detail,
        }).ToArray()),
    };

    /// <summary>The report as indented JSON text.</summary>
    public static string Write(ConformanceReport report) => ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
