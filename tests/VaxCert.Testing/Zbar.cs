namespace VaxCert.Testing;

/// <summary>
/// Reads QR codes from images with zbarimg (zbar-tools): a decoder that shares no code with the QRCoder renderer.
/// Uses <c>--raw -q -Sbinary</c>: binary mode prints the symbol's bytes exactly, with no charset guessing and no trailing
/// newline (text mode appends one per symbol). HC1 is QR alphanumeric, so both modes give the same characters.
/// Expects one symbol per image; several would be concatenated.
/// </summary>
public static class Zbar
{
    private const string InstallHint = "Install zbar-tools (scripts/test.sh does).";

    // zbarimg exits 4 when the image was read but holds no symbol it could decode.
    private const int NoSymbolExitCode = 4;

    /// <summary>The exact text of the QR code in the image at <paramref name="imagePath"/>, or a failed assertion.</summary>
    public static string Decode(string imagePath) =>
        TryDecode(imagePath, out var text, out var diagnostics)
            ? text
            : throw new Xunit.Sdk.XunitException($"zbarimg found no QR code in {imagePath}: {diagnostics}");

    /// <summary>Decodes PNG bytes (written to a temporary file, kept on failure for inspection).</summary>
    public static string DecodePng(ReadOnlySpan<byte> png)
    {
        var path = Path.Combine(RepoPaths.NewTempDir("zbar"), "qr.png");
        File.WriteAllBytes(path, png.ToArray());
        var text = Decode(path);
        File.Delete(path);
        return text;
    }

    /// <summary>
    /// False when the image is unreadable or holds no decodable symbol (then <paramref name="diagnostics"/> says why);
    /// a missing zbarimg is a failed assertion, never a false.
    /// </summary>
    public static bool TryDecode(string imagePath, out string text, out string diagnostics)
    {
        var zbarimg = ExternalTool.RequireOnPath("zbarimg", InstallHint);
        var (exit, stdout, stderr) = ExternalTool.Run(zbarimg, ["--raw", "-q", "-Sbinary", imagePath]);
        text = exit == 0 ? stdout : "";
        diagnostics = exit switch
        {
            0 => "",
            NoSymbolExitCode => "no symbol found",
            _ => $"zbarimg exit {exit}: {stderr.Trim()}",
        };
        return exit == 0 && text.Length > 0;
    }
}
