using System.Net;
using System.Text.RegularExpressions;
using VaxCert.Testing;

namespace VaxCert.Web.Tests;

/// <summary>What the page showed after one check, read from the DOM that headless Chromium dumped.</summary>
public sealed record PageAnswer(string Outcome, string Reason, string Dom)
{
    /// <summary>The data table's trust marking ("true"/"false"), or null when the page showed no data.</summary>
    public string? DataTrusted => Regex.Match(Dom, "data-trusted=\"(true|false)\"") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The visible text of the result section, markup stripped and entities decoded.</summary>
    public string ResultText => WebUtility.HtmlDecode(Regex.Replace(Regex.Match(Dom,
        "<section id=\"result\".*?</section>", RegexOptions.Singleline).Value, "<[^>]+>", " "));
}

/// <summary>
/// Drives web/verifier/index.html in headless Chromium (Debian's <c>chromium</c>): the input goes in the URL fragment
/// (<c>#hc1=</c> or <c>#image=data:…</c>, the page's documented hand-over), <c>--virtual-time-budget</c> lets the
/// asynchronous WebCrypto and DecompressionStream work finish, and <c>--dump-dom</c> prints the page as rendered.
/// A missing Chromium is a failed test, never a skip: scripts/test.sh installs it.
/// </summary>
public static class VerifierPage
{
    private const string InstallHint = "Install Debian's chromium (scripts/test.sh does: apt-get install chromium).";

    public static string PagePath => Path.Combine(RepoPaths.Root, "web", "verifier", "index.html");

    public static string Chromium =>
        Environment.GetEnvironmentVariable("VAXCERT_CHROMIUM") is { Length: > 0 } path
            ? ExternalTool.RequireFile("Chromium", InstallHint, path)
            : ExternalTool.RequireOnPath("chromium", InstallHint);

    public static PageAnswer CheckText(string hc1) => Open("hc1=" + Uri.EscapeDataString(hc1));

    public static PageAnswer CheckPng(byte[] png) =>
        Open("image=" + Uri.EscapeDataString("data:image/png;base64," + Convert.ToBase64String(png)));

    /// <summary>Opens the page with a fragment and returns its answer; fails when the page never finished a check.</summary>
    public static PageAnswer Open(string fragment)
    {
        var profile = RepoPaths.NewTempDir("chromium-profile");
        var (exit, dom, stderr) = ExternalTool.Run(Chromium, [.. BaseArguments(profile), "--dump-dom", PageUrl(fragment)]);
        DeleteProfile(profile);
        Assert.True(exit == 0, $"chromium exit {exit}: {LastLines(stderr)}");
        Assert.True(dom.Contains("<body data-state=\"done\">", StringComparison.Ordinal),
            $"the page did not finish a check (body state: {Regex.Match(dom, "<body[^>]*>").Value}); chromium said: {LastLines(stderr)}");
        var result = Regex.Match(dom, "<section id=\"result\"[^>]*data-outcome=\"([A-Z]+)\" data-reason=\"([A-Za-z0-9]+)\"");
        Assert.True(result.Success, "no result section with an outcome in the page");
        return new PageAnswer(result.Groups[1].Value, result.Groups[2].Value, dom);
    }

    private static string PageUrl(string fragment) => new Uri(PagePath).AbsoluteUri + "#" + fragment;

    /// <summary>
    /// Chromium's helper processes can still write to the profile for a moment after it exits, which would make the
    /// test process's clean-up at exit fail; so each profile is removed here, retried briefly, and otherwise left.
    /// </summary>
    private static void DeleteProfile(string profile)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException) { return; }
            catch (IOException) { Thread.Sleep(100); }
        }
    }

    private static string[] BaseArguments(string profile) =>
    [
        "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        // Tests run as root (CI); Chromium refuses to start a sandbox as root.
        "--no-sandbox",
        $"--user-data-dir={profile}",
        // Virtual time runs the page's pending tasks (WebCrypto, decompression, image decoding) before the dump.
        "--virtual-time-budget=15000",
    ];

    private static string LastLines(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5));
}
