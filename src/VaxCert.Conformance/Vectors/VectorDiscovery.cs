using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Conformance.Vectors;

/// <summary>A vector file, or why it could not be read (an unreadable file is reported as a failure, never thrown).</summary>
public sealed record VectorFile(string Folder, string RelativePath, ConformanceVector? Vector, string? Problem);

/// <summary>
/// Finds test vectors under a folder: every *.json file that is an object with EXPECTEDRESULTS. Other JSON files (indexes,
/// schemas) are not vectors and are ignored; a file that is not JSON at all, or a vector file that is truncated, is
/// reported with its problem.
/// </summary>
public static class VectorDiscovery
{
    /// <summary>Largest vector file read (the biggest EU vector is about 40 KB).</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The vector files under <paramref name="folder"/>, in ordinal path order.</summary>
    public static IReadOnlyList<VectorFile> Find(string folder)
    {
        var root = Path.GetFullPath(folder);
        return Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(p => (Full: p, Relative: Path.GetRelativePath(root, p).Replace('\\', '/')))
            .OrderBy(p => p.Relative, StringComparer.Ordinal)
            .Select(p => Read(folder, p.Full, p.Relative))
            .OfType<VectorFile>()
            .ToList();
    }

    private static VectorFile? Read(string folder, string fullPath, string relative)
    {
        try
        {
            if (new FileInfo(fullPath).Length > MaxFileBytes) return new VectorFile(folder, relative, null, "file larger than 4 MiB");
            var node = JsonNode.Parse(File.ReadAllText(fullPath));
            if (node is JsonObject o && o.ContainsKey(VectorKeys.ExpectedResults))
                return new VectorFile(folder, relative, new ConformanceVector(folder, relative, o), null);
            return null;
        }
        catch (JsonException e) { return new VectorFile(folder, relative, null, "not valid JSON: " + e.Message); }
        catch (IOException e) { return new VectorFile(folder, relative, null, "unreadable: " + e.Message); }
        catch (UnauthorizedAccessException e) { return new VectorFile(folder, relative, null, "unreadable: " + e.Message); }
    }
}
