using System.Xml.Linq;
using VaxCert.Conformance.Running;

namespace VaxCert.Conformance.Reporting;

/// <summary>
/// JUnit XML for CI systems: one testsuite per folder, one testcase per (vector, flag) named "vector flag"; a failure
/// element for mismatches, skipped (with the reason) for known issues and skips.
/// </summary>
public static class JUnitReportWriter
{
    /// <summary>The report as a JUnit XML document.</summary>
    public static XDocument ToXml(ConformanceReport report) => new(
        new XElement("testsuites",
            new XAttribute("name", "vaxcert conformance"),
            new XAttribute("tests", report.Rows.Count),
            new XAttribute("failures", report.Count(FlagStatus.Failed)),
            new XAttribute("skipped", report.Count(FlagStatus.KnownIssue) + report.Count(FlagStatus.Skipped)),
            report.Rows.GroupBy(r => r.Folder).Select(Suite)));

    private static XElement Suite(IGrouping<string, FlagResult> folder) => new("testsuite",
        new XAttribute("name", folder.Key),
        new XAttribute("tests", folder.Count()),
        new XAttribute("failures", folder.Count(r => r.Status == FlagStatus.Failed)),
        new XAttribute("skipped", folder.Count(r => r.Status is FlagStatus.KnownIssue or FlagStatus.Skipped)),
        folder.Select(Case));

    private static XElement Case(FlagResult r)
    {
        var element = new XElement("testcase", new XAttribute("classname", r.Vector), new XAttribute("name", $"{r.Vector} {r.Flag}"));
        var message = $"expected {r.Expected}: {r.Detail}";
        switch (r.Status)
        {
            case FlagStatus.Failed: element.Add(new XElement("failure", new XAttribute("message", message), message)); break;
            case FlagStatus.KnownIssue: element.Add(new XElement("skipped", new XAttribute("message", "known issue: " + r.Detail))); break;
            case FlagStatus.Skipped: element.Add(new XElement("skipped", new XAttribute("message", r.Detail))); break;
        }
        return element;
    }
}
