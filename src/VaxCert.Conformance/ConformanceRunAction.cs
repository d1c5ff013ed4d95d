using Spectre.Console;
using VaxCert.Conformance.Reporting;
using VaxCert.Conformance.Running;

namespace VaxCert.Conformance;

/// <summary>The parsed command line of <c>vaxcert conformance run</c>.</summary>
/// <param name="Folders">Vector folders (VaxCert's interop-vectors, the EU testdata, or any other in the same format).</param>
/// <param name="Json">Print the JSON report instead of the tables.</param>
/// <param name="JUnitPath">Also write JUnit XML here.</param>
/// <param name="KnownIssuesPaths">Known-issues files; interop-vectors/eu-known-issues.tsv is used when none is given and it exists.</param>
public sealed record ConformanceRunRequest(IReadOnlyList<string> Folders, bool Json, string? JUnitPath, IReadOnlyList<string> KnownIssuesPaths);

/// <summary><c>vaxcert conformance run</c>: exit 0 when every expectation held, 1 on any mismatch, 2 on a usage error.</summary>
public static class ConformanceRunAction
{
    /// <summary>Exit codes.</summary>
    public const int Success = 0, Mismatch = 1, Usage = 2;

    /// <summary>The known-issues file shipped with the repository, relative to a vector folder's repository root.</summary>
    public const string DefaultKnownIssuesFile = "eu-known-issues.tsv";

    /// <summary>Runs the request, writing the report to <paramref name="console"/>.</summary>
    public static int Run(ConformanceRunRequest request, IAnsiConsole console, IQrImageReader? qrReader)
    {
        if (request.Folders.Count == 0) return UsageError(console, "give at least one vector folder");
        if (request.Folders.FirstOrDefault(f => !Directory.Exists(f)) is { } missing) return UsageError(console, $"no such folder: {missing}");
        KnownIssues known;
        try { known = LoadKnownIssues(request); }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return UsageError(console, e.Message); }

        var report = ConformanceRun.Execute(request.Folders, known, qrReader);
        if (request.Json) console.Profile.Out.Writer.WriteLine(JsonReportWriter.Write(report));
        else ConsoleReportWriter.Write(report, console);
        if (request.JUnitPath is { } junit)
        {
            try { JUnitReportWriter.ToXml(report).Save(junit); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return UsageError(console, e.Message); }
        }
        return report.Succeeded ? Success : Mismatch;
    }

    private static KnownIssues LoadKnownIssues(ConformanceRunRequest request)
    {
        if (request.KnownIssuesPaths.Count > 0)
            return request.KnownIssuesPaths.Aggregate(KnownIssues.None, (all, path) => all.With(KnownIssues.Load(path)));
        // Default: the repository's file, found next to any given folder named interop-vectors or in ./interop-vectors.
        var candidates = request.Folders.Select(f => Path.Combine(f, DefaultKnownIssuesFile))
            .Append(Path.Combine("interop-vectors", DefaultKnownIssuesFile));
        return candidates.FirstOrDefault(File.Exists) is { } file ? KnownIssues.Load(file) : KnownIssues.None;
    }

    private static int UsageError(IAnsiConsole console, string message)
    {
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return Usage;
    }
}
