using System.Diagnostics;

namespace VaxCert.Conformance.Running;

/// <summary>Reads the text of a QR code image (EXPECTEDPICTUREDECODE), with a decoder independent of VaxCert's renderer.</summary>
public interface IQrImageReader
{
    /// <summary>The text of the one QR code in the PNG, or null when none could be read.</summary>
    string? Read(byte[] png);
}

/// <summary>
/// zbarimg (zbar-tools) as the QR reader: binary mode prints the symbol's bytes exactly, with no trailing newline. The image
/// travels through a temporary file that is deleted afterwards.
/// </summary>
public sealed class ZbarImageReader(string executable) : IQrImageReader
{
    /// <summary>zbarimg from PATH, or null when it is not installed.</summary>
    public static ZbarImageReader? FromPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "zbarimg");
            if (dir.Length > 0 && File.Exists(candidate)) return new ZbarImageReader(candidate);
        }
        return null;
    }

    /// <inheritdoc />
    public string? Read(byte[] png)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaxcert-qr-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, png);
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--raw", "-q", "-Sbinary", path }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = stderr.Result;
            return process.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
