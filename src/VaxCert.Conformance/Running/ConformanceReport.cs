namespace VaxCert.Conformance.Running;

/// <summary>The rows of one run, with the counts the final line prints.</summary>
public sealed class ConformanceReport(IReadOnlyList<FlagResult> rows, int vectorCount)
{
    /// <summary>Every expectation checked, in folder and path order.</summary>
    public IReadOnlyList<FlagResult> Rows { get; } = rows;

    /// <summary>How many vector files were found.</summary>
    public int VectorCount { get; } = vectorCount;

    /// <summary>Rows with this status.</summary>
    public IEnumerable<FlagResult> With(FlagStatus status) => Rows.Where(r => r.Status == status);

    /// <summary>Number of rows with this status.</summary>
    public int Count(FlagStatus status) => Rows.Count(r => r.Status == status);

    /// <summary>True when nothing failed (known issues and skips do not fail a run).</summary>
    public bool Succeeded => Count(FlagStatus.Failed) == 0;

    /// <summary>"N passed, N failed" plus known issues and skips when there are any.</summary>
    public string Summary
    {
        get
        {
            var text = $"{Count(FlagStatus.Passed)} passed, {Count(FlagStatus.Failed)} failed";
            if (Count(FlagStatus.KnownIssue) > 0) text += $", {Count(FlagStatus.KnownIssue)} known issues";
            if (Count(FlagStatus.Skipped) > 0)
                text += $", {Count(FlagStatus.Skipped)} skipped ("
                    + string.Join("; ", With(FlagStatus.Skipped).GroupBy(r => r.Detail).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => $"{g.Count()}: {g.Key}")) + ")";
            return text;
        }
    }
}

/// <summary>Runs every vector under the given folders.</summary>
public static class ConformanceRun
{
    /// <summary>Finds and runs the vectors of each folder in turn.</summary>
    public static ConformanceReport Execute(IEnumerable<string> folders, KnownIssues knownIssues, IQrImageReader? qrReader)
    {
        var runner = new VectorRunner(knownIssues, qrReader);
        var rows = new List<FlagResult>();
        var vectors = 0;
        foreach (var folder in folders)
        {
            var files = Vectors.VectorDiscovery.Find(folder);
            vectors += files.Count;
            foreach (var file in files) rows.AddRange(runner.Run(file));
        }
        return new ConformanceReport(rows, vectors);
    }
}
