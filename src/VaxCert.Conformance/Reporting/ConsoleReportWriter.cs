using Spectre.Console;
using VaxCert.Conformance.Running;

namespace VaxCert.Conformance.Reporting;

/// <summary>
/// The human report: one table per folder (a row per flag with its counts), then every failure naming vector and flag,
/// every known issue with its reason, and the final "N passed, N failed" line.
/// </summary>
public static class ConsoleReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="console"/>.</summary>
    public static void Write(ConformanceReport report, IAnsiConsole console)
    {
        foreach (var folder in report.Rows.GroupBy(r => r.Folder))
        {
            var table = new Table().Title(Markup.Escape(folder.Key)).AddColumns("flag", "passed", "failed", "known issues", "skipped");
            foreach (var flag in folder.GroupBy(r => r.Flag).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int N(FlagStatus s) => flag.Count(r => r.Status == s);
                table.AddRow(Markup.Escape(flag.Key), N(FlagStatus.Passed).ToString(),
                    N(FlagStatus.Failed) > 0 ? $"[red]{N(FlagStatus.Failed)}[/]" : "0",
                    N(FlagStatus.KnownIssue).ToString(), N(FlagStatus.Skipped).ToString());
            }
            console.Write(table);
        }
        Section(console, report, FlagStatus.Failed, "FAIL", "red");
        Section(console, report, FlagStatus.KnownIssue, "KNOWN ISSUE", "yellow");
        console.WriteLine($"{report.VectorCount} vectors");
        console.MarkupLine(report.Succeeded ? $"[green]{Markup.Escape(report.Summary)}[/]" : $"[red]{Markup.Escape(report.Summary)}[/]");
    }

    private static void Section(IAnsiConsole console, ConformanceReport report, FlagStatus status, string label, string colour)
    {
        foreach (var r in report.With(status))
            console.MarkupLine($"[{colour}]{label}[/] {Markup.Escape($"{r.Folder}/{r.Vector} {r.Flag} expected {r.Expected}: {r.Detail}")}");
    }
}
