using VaxCert.Testing;

namespace VaxCert.Printing.Tests;

/// <summary>poppler-utils (pdftoppm, pdftotext, pdfinfo): an independent PDF reader. Missing tools fail the test (scripts/test.sh installs them).</summary>
internal static class Poppler
{
    private const string InstallHint = "Install poppler-utils (scripts/test.sh does).";

    /// <summary>Rasterises every page at <paramref name="dpi"/>; returns the PNG paths in page order.</summary>
    public static IReadOnlyList<string> PagesToPng(string pdfPath, int dpi = 200)
    {
        var tool = ExternalTool.RequireOnPath("pdftoppm", InstallHint);
        var prefix = Path.Combine(Path.GetDirectoryName(pdfPath)!, Path.GetFileNameWithoutExtension(pdfPath) + "-page");
        var (exit, _, stderr) = ExternalTool.Run(tool, ["-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-png", pdfPath, prefix]);
        Assert.True(exit == 0, $"pdftoppm failed: {stderr}");
        return Directory.GetFiles(Path.GetDirectoryName(pdfPath)!, Path.GetFileName(prefix) + "*.png").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The text of the PDF as pdftotext extracts it (UTF-8, layout kept).</summary>
    public static string Text(string pdfPath)
    {
        var tool = ExternalTool.RequireOnPath("pdftotext", InstallHint);
        var (exit, stdout, stderr) = ExternalTool.Run(tool, ["-layout", "-enc", "UTF-8", pdfPath, "-"]);
        Assert.True(exit == 0, $"pdftotext failed: {stderr}");
        return stdout;
    }

    /// <summary>The fonts pdffonts lists (name, type, embedded flag in its table).</summary>
    public static string Fonts(string pdfPath)
    {
        var tool = ExternalTool.RequireOnPath("pdffonts", InstallHint);
        var (exit, stdout, stderr) = ExternalTool.Run(tool, [pdfPath]);
        Assert.True(exit == 0, $"pdffonts failed: {stderr}");
        return stdout;
    }
}
