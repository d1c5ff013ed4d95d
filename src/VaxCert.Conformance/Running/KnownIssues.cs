namespace VaxCert.Conformance.Running;

/// <summary>One row of a known-issues file: an upstream vector's flag whose stated expectation is wrong.</summary>
public sealed record KnownIssue(string Path, string Flag, string Treatment, string Reason);

/// <summary>
/// Known-issues TSV (interop-vectors/eu-known-issues.tsv): '#' comment lines, a header "path flag treatment reason", then one
/// row per (vector, flag). Paths are relative to the vector folder given to the run.
/// </summary>
public sealed class KnownIssues
{
    private readonly Dictionary<(string Path, string Flag), KnownIssue> _byKey;

    private KnownIssues(IEnumerable<KnownIssue> entries) =>
        _byKey = entries.GroupBy(e => (e.Path, e.Flag)).ToDictionary(g => g.Key, g => g.First());

    /// <summary>No known issues.</summary>
    public static KnownIssues None { get; } = new([]);

    /// <summary>All entries.</summary>
    public IReadOnlyCollection<KnownIssue> Entries => _byKey.Values;

    /// <summary>The entry for this vector and flag, or null.</summary>
    public KnownIssue? Find(string relativePath, string flag) => _byKey.GetValueOrDefault((relativePath.Replace('\\', '/'), flag));

    /// <summary>Parses TSV text; a malformed row is a <see cref="FormatException"/> naming its line.</summary>
    public static KnownIssues Parse(string text)
    {
        var entries = new List<KnownIssue>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("path\t", StringComparison.Ordinal)) continue;
            var cells = line.Split('\t');
            if (cells.Length != 4 || cells.Any(c => c.Length == 0))
                throw new FormatException($"known-issues line {i + 1}: expected 4 tab-separated columns (path, flag, treatment, reason)");
            entries.Add(new KnownIssue(cells[0], cells[1], cells[2], cells[3]));
        }
        return new KnownIssues(entries);
    }

    /// <summary>Reads and parses a file.</summary>
    public static KnownIssues Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Both sets together.</summary>
    public KnownIssues With(KnownIssues other) => new(Entries.Concat(other.Entries));
}
