namespace VaxCert.Testing;

/// <summary>interop-vectors/eu-known-issues.tsv: upstream vectors whose stated expectation contradicts their data.</summary>
public static class EuKnownIssues
{
    public sealed record Entry(string Path, string Flag, string Treatment, string Reason);

    public static IReadOnlyList<Entry> All { get; } = File.ReadAllLines(Path.Combine(RepoPaths.Root, "interop-vectors", "eu-known-issues.tsv"))
        .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("path\t", StringComparison.Ordinal))
        .Select(l => l.Split('\t'))
        .Select(c => new Entry(c[0], c[1], c[2], c[3]))
        .ToList();

    public static Entry? Find(string path, string flag)
        => All.FirstOrDefault(e => e.Path == path.Replace('\\', '/') && e.Flag == flag);
}
