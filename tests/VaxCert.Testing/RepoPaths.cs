namespace VaxCert.Testing;

/// <summary>Locations tests read from: the repository root and the shared reference data beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VaxCert.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("VaxCert.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding VaxCert.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>../shared next to the repository (the EU DCC reference data); VAXCERT_SHARED overrides it.</summary>
    public static string Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VAXCERT_SHARED");
            var path = string.IsNullOrEmpty(env) ? Path.GetFullPath(Path.Combine(Root, "..", "shared")) : env;
            if (!Directory.Exists(path))
                throw new DirectoryNotFoundException($"Shared reference data not found at {path}; set VAXCERT_SHARED.");
            return path;
        }
    }

    public static string EuDcc => Path.Combine(Shared, "eu-dcc");
    public static string EuTestData => Path.Combine(EuDcc, "testdata");
    public static string KeysDev => Path.Combine(Root, "keys-dev");

    /// <summary>
    /// A fresh temporary folder, removed when the test process exits: a full run creates a few hundred (ledgers, tokens,
    /// QR images, some of 32 MB), and /tmp on a long-lived machine is not cleaned for days. Set
    /// <c>VAXCERT_KEEP_TEST_TEMP=1</c> to keep them for inspection after a failure.
    /// </summary>
    public static string NewTempDir(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaxcert-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        TempDirs.Add(path);
        return path;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> TempDirs = CleanUpAtExit();

    private static System.Collections.Concurrent.ConcurrentBag<string> CleanUpAtExit()
    {
        var dirs = new System.Collections.Concurrent.ConcurrentBag<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Environment.GetEnvironmentVariable("VAXCERT_KEEP_TEST_TEMP") == "1")
                return;
            foreach (var dir in dirs)
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // best effort at exit
            }
        };
        return dirs;
    }
}
