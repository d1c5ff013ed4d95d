using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using VaxCert.Testing;

namespace VaxCert.Verifier.Tests.Sdk;

/// <summary>
/// The verifier SDK embeds in a phone app (issue #10): neither VaxCert.Verifier nor anything it references may need the
/// ASP.NET Core shared framework, QRCoder or System.Drawing. Checked three ways, on what the build produced: the SDK's own
/// deps.json, the framework references NuGet resolved for its whole project closure, and the assembly references of every
/// assembly it loads.
/// </summary>
public sealed class SdkDependencyTests
{
    private static readonly string[] ForbiddenPrefixes = ["QRCoder", "System.Drawing", "Microsoft.AspNetCore", "Microsoft.Win32.SystemEvents"];

    private static string Configuration =>
        typeof(SdkDependencyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string VerifierProject => Path.Combine(RepoPaths.Root, "src", "VaxCert.Verifier");

    private static string VerifierBin => Path.Combine(VerifierProject, "bin", Configuration, "net10.0");

    private static bool IsForbidden(string name) =>
        ForbiddenPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Deps_json_of_the_sdk_lists_no_qr_drawing_or_aspnetcore_library()
    {
        var path = Path.Combine(VerifierBin, "VaxCert.Verifier.deps.json");
        Assert.True(File.Exists(path), $"{path} is missing: build src/VaxCert.Verifier ({Configuration}) first");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .ToDictionary(p => p.Name.Split('/')[0], p => p.Value.GetProperty("type").GetString());
        Assert.Contains("VaxCert.Core", libraries.Keys);
        Assert.DoesNotContain(libraries.Keys, IsForbidden);
        // CBOR comes from the plain package: with the shared framework it would not be listed at all.
        Assert.Equal("package", libraries.GetValueOrDefault("System.Formats.Cbor"));
    }

    [Fact]
    public void No_project_in_the_sdk_closure_references_a_shared_framework_beyond_netcore()
    {
        // NuGet records each project reference's FrameworkReference items, transitively, in the assets file.
        var path = Path.Combine(VerifierProject, "obj", "project.assets.json");
        Assert.True(File.Exists(path), $"{path} is missing: restore src/VaxCert.Verifier first");
        using var assets = JsonDocument.Parse(File.ReadAllText(path));
        var found = new List<string>();
        foreach (var target in assets.RootElement.GetProperty("targets").EnumerateObject())
        foreach (var library in target.Value.EnumerateObject())
        {
            if (library.Value.TryGetProperty("frameworkReferences", out var refs))
                found.AddRange(refs.EnumerateArray().Select(r => $"{library.Name} → {r.GetString()}"));
        }
        foreach (var framework in assets.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject())
            if (framework.Value.TryGetProperty("frameworkReferences", out var direct))
                found.AddRange(direct.EnumerateObject().Where(r => r.Name != "Microsoft.NETCore.App").Select(r => "VaxCert.Verifier → " + r.Name));
        Assert.Empty(found);
    }

    [Fact]
    public void No_assembly_the_sdk_loads_references_qr_drawing_or_aspnetcore()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var offending = new List<string>();
        var pending = new Queue<string>(["VaxCert.Verifier"]);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name)) continue;
            // Only what ships beside the SDK is walked; the rest is Microsoft.NETCore.App, which references no ASP.NET Core.
            var file = Path.Combine(VerifierBin, name + ".dll");
            if (!File.Exists(file)) continue;
            foreach (var reference in ReferencedAssemblies(file))
            {
                if (IsForbidden(reference)) offending.Add($"{name} → {reference}");
                pending.Enqueue(reference);
            }
        }
        Assert.Contains("VaxCert.Core", seen);
        Assert.Empty(offending);
    }

    private static IEnumerable<string> ReferencedAssemblies(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }
}
