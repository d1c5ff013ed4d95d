using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VaxCert.Testing;

/// <summary>
/// A REAL PostgreSQL for the test run: one private cluster per test process (started on first use, stopped at process
/// exit), a fresh database per caller via <see cref="CreateDatabase"/>. With VAXCERT_TEST_PG_CONN set (an Npgsql-style
/// "Host=...;Port=...;Username=...;Password=..." string for a superuser) that server is used instead and the databases made
/// for the run are dropped at exit. Missing binaries or a failed start FAIL the test with the reason (never a silent skip).
/// </summary>
/// <remarks>
/// The private cluster lives in $TMP/vaxcert-pg/cluster-PID: data dir, unix socket dir and server.log, owned by the
/// postgres user when we run as root (the server refuses root). Trust auth on 127.0.0.1 and a free port; fsync is off
/// because the cluster is thrown away (transaction semantics are unchanged). Clusters left by killed test processes are
/// stopped and removed when the next one starts.
/// </remarks>
public sealed partial class PostgresServer
{
    /// <summary>Environment variable naming an existing server to use instead of a private cluster.</summary>
    public const string ExternalServerVariable = "VAXCERT_TEST_PG_CONN";

    private const string InstallHint = "Install PostgreSQL with scripts/test.sh (Debian package 'postgresql') or set "
                                       + ExternalServerVariable + " to a superuser connection string.";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly string ClustersRoot = Path.Combine(Path.GetTempPath(), "vaxcert-pg");

    private readonly Dictionary<string, string> _adminEnvironment;
    private readonly string _psql;
    private readonly string _connectionBase;
    private readonly List<string> _createdDatabases = [];

    private PostgresServer(string psql, string connectionBase, Dictionary<string, string> adminEnvironment)
    {
        _psql = psql;
        _connectionBase = connectionBase;
        _adminEnvironment = adminEnvironment;
    }

    /// <summary>The server for this test process, started on first use; throws a test failure if it cannot run.</summary>
    public static PostgresServer Instance => Shared.Value;

    /// <summary>Creates an empty database and returns an Npgsql connection string to it.</summary>
    /// <param name="prefix">Readable part of the name (e.g. the test class); a unique suffix is added.</param>
    public string CreateDatabase(string prefix)
    {
        var name = (SafeName().Replace(prefix.ToLowerInvariant(), "_") + "_" + Guid.NewGuid().ToString("N")[..12]).TrimStart('_');
        if (name.Length > 60) name = name[^60..].TrimStart('_');
        RunPsql($"CREATE DATABASE \"{name}\"");
        lock (_createdDatabases) _createdDatabases.Add(name);
        return $"{_connectionBase};Database={name}";
    }

    private void RunPsql(string sql)
    {
        var (code, stdout, stderr) = ExternalTool.Run(_psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql], env: _adminEnvironment);
        if (code != 0)
            throw new Xunit.Sdk.XunitException($"psql failed ({code}) running '{sql}': {stderr}{stdout}");
    }

    private static PostgresServer Start()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        return string.IsNullOrWhiteSpace(external) ? StartPrivateCluster() : UseExternal(external);
    }

    private static PostgresServer UseExternal(string connectionString)
    {
        var psql = ExternalTool.FindOnPath("psql") ?? Path.Combine(FindBinDir(), "psql");
        var settings = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        // psql reads the password from the environment, so it never shows up in a process list.
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = Pick(settings, "host", "server") ?? "127.0.0.1",
            ["PGPORT"] = Pick(settings, "port") ?? "5432",
            ["PGUSER"] = Pick(settings, "username", "user id", "user", "userid") ?? "postgres",
        };
        if (Pick(settings, "password") is { } password) env["PGPASSWORD"] = password;
        var withoutDatabase = string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("database", StringComparison.OrdinalIgnoreCase)));
        var server = new PostgresServer(psql, withoutDatabase, env);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DropCreatedDatabases();
        return server;
    }

    private static PostgresServer StartPrivateCluster()
    {
        var bin = FindBinDir();
        RemoveStaleClusters(bin);
        var dir = Path.Combine(ClustersRoot, "cluster-" + Environment.ProcessId);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(Path.Combine(dir, "sock"));
        OwnByPostgres(dir);
        var data = Path.Combine(dir, "data");
        var log = Path.Combine(dir, "server.log");
        var init = RunAsPostgres(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        if (init.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"initdb failed ({init.ExitCode}) in {dir}:\n{init.StdErr}\n{init.StdOut}");

        var lastError = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var options = $"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={Path.Combine(dir, "sock")} "
                          + "-c fsync=off -c max_connections=300 -c shared_buffers=32MB -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB";
            var start = RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"]);
            if (start.ExitCode == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopCluster(bin, dir);
                var env = new Dictionary<string, string> { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = port.ToString(), ["PGUSER"] = "postgres" };
                return new PostgresServer(Path.Combine(bin, "psql"), $"Host=127.0.0.1;Port={port};Username=postgres", env);
            }
            lastError = $"pg_ctl start failed ({start.ExitCode}): {start.StdErr}{start.StdOut}";
        }
        throw new Xunit.Sdk.XunitException($"PostgreSQL did not start in {dir}. {lastError}\n--- server.log (tail) ---\n{Tail(log, 30)}");
    }

    private static string FindBinDir()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new Xunit.Sdk.XunitException($"PostgreSQL server binaries (initdb, pg_ctl) were not found under {root}/*/bin. {InstallHint}");
    }

    /// <summary>Stops and deletes clusters whose owning test process is gone (killed runs leave them behind).</summary>
    private static void RemoveStaleClusters(string bin)
    {
        if (!Directory.Exists(ClustersRoot)) return;
        foreach (var dir in Directory.GetDirectories(ClustersRoot, "cluster-*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)["cluster-".Length..], out var pid) || pid == Environment.ProcessId || IsAlive(pid))
                continue;
            StopCluster(bin, dir);
        }
    }

    private static void StopCluster(string bin, string dir)
    {
        var data = Path.Combine(dir, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
            RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-W", "stop"]);
        // The test host may be killed right after ProcessExit, so the delete runs detached (setsid -f) and after the
        // server has gone; if it dies anyway, the next run removes the stale cluster.
        try { Process.Start(new ProcessStartInfo("setsid", ["-f", "sh", "-c", "sleep 2; rm -rf \"$0\"", dir]) { UseShellExecute = false })?.Dispose(); }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>At exit, drops this run's databases from an external server, detached (the host may be killed soon after).</summary>
    private void DropCreatedDatabases()
    {
        string[] names;
        lock (_createdDatabases) names = [.. _createdDatabases];
        if (names.Length == 0) return;
        var psi = new ProcessStartInfo("setsid", ["-f", _psql, "-X", "-q", "-d", "postgres",
            .. names.SelectMany(n => new[] { "-c", $"DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)" })]) { UseShellExecute = false };
        foreach (var (k, v) in _adminEnvironment) psi.Environment[k] = v; // the password travels in PGPASSWORD, not argv
        try { Process.Start(psi)?.Dispose(); }
        catch (System.ComponentModel.Win32Exception) { } // best effort
    }

    private static bool IsAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static (int ExitCode, string StdOut, string StdErr) RunAsPostgres(string exe, string[] args)
        => IsRoot ? ExternalTool.Run(RunUser, ["-u", "postgres", "--", exe, .. args], timeoutMs: 90_000)
                  : ExternalTool.Run(exe, args, timeoutMs: 90_000);

    // runuser lives in sbin, which a CI environment's PATH may lack.
    private static string RunUser => new[] { "/usr/sbin/runuser", "/sbin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";

    private static void OwnByPostgres(string dir)
    {
        if (!IsRoot) return;
        var (code, _, err) = ExternalTool.Run("chown", ["-R", "postgres:postgres", dir]);
        if (code != 0)
            throw new Xunit.Sdk.XunitException($"chown postgres {dir} failed: {err}. {InstallHint}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Tail(string file, int lines)
        => File.Exists(file) ? string.Join('\n', File.ReadAllLines(file).TakeLast(lines)) : "(no server log)";

    private static string? Pick(Dictionary<string, string> settings, params string[] keys)
        => keys.Select(k => settings.GetValueOrDefault(k)).FirstOrDefault(v => v is not null);

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex SafeName();
}
