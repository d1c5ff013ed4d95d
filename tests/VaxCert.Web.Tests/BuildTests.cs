using VaxCert.Testing;

namespace VaxCert.Web.Tests;

/// <summary>The committed verifier.js and trust-dev.js are exactly what web/verifier/build.mjs makes from the sources.</summary>
public class BuildTests
{
    [Fact]
    public void Committed_bundle_and_dev_trust_list_match_a_fresh_build()
    {
        var dir = Path.Combine(RepoPaths.Root, "web", "verifier");
        ExternalTool.RequireFile("web/verifier/node_modules (esbuild, jsQR)",
            "Run: cd web/verifier && npm ci (scripts/test.sh does).", Path.Combine(dir, "node_modules", "esbuild", "package.json"));
        var node = ExternalTool.RequireOnPath("node", "Install nodejs (scripts/test.sh does).");

        var (exit, stdout, stderr) = ExternalTool.Run(node, ["build.mjs", "--check"], workingDirectory: dir);

        Assert.True(exit == 0, $"{stdout}{stderr}");
    }
}
