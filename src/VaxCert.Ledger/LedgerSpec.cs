using Npgsql;

namespace VaxCert.Ledger;

/// <summary>Which engine a ledger spec names.</summary>
public enum LedgerEngine
{
    /// <summary>An SQLite file (or ":memory:").</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    Postgres,
}

/// <summary>
/// A parsed ledger spec: <c>sqlite:PATH</c>, <c>sqlite::memory:</c>, <c>postgres:Host=...;Database=...</c> (Npgsql
/// keywords) or <c>postgresql://user@host:port/db?sslmode=require</c>. Error messages never repeat the spec, which may
/// hold a password.
/// </summary>
/// <param name="Engine">The engine.</param>
/// <param name="Target">The SQLite path, or an Npgsql connection string.</param>
public sealed record LedgerSpec(LedgerEngine Engine, string Target)
{
    /// <summary>The SQLite target that means a private in-memory database.</summary>
    public const string InMemory = ":memory:";

    private const string Usage = "use sqlite:PATH, postgres:Host=...;Database=... or postgresql://user@host:port/database";

    /// <summary>Parses a spec; throws ArgumentException (without echoing it) when it is malformed.</summary>
    public static LedgerSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var trimmed = spec.Trim();
        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["sqlite:".Length..];
            return path.Length > 0 ? new LedgerSpec(LedgerEngine.Sqlite, path) : throw new ArgumentException("the sqlite ledger spec has no path; " + Usage, nameof(spec));
        }
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new LedgerSpec(LedgerEngine.Postgres, PostgresUri.ToConnectionString(trimmed));
        foreach (var prefix in new[] { "postgres:", "postgresql:" })
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return new LedgerSpec(LedgerEngine.Postgres, CheckedConnectionString(trimmed[prefix.Length..]));
        throw new ArgumentException("unknown ledger spec; " + Usage, nameof(spec));
    }

    /// <summary>The spec for display and logs: the password, if any, is left out.</summary>
    public string Describe()
    {
        if (Engine == LedgerEngine.Sqlite)
            return "sqlite:" + Target;
        var builder = new NpgsqlConnectionStringBuilder(Target);
        builder.Remove("Password");
        return "postgres:" + builder.ConnectionString;
    }

    /// <summary>Opens the ledger this spec names, creating it when the file or database is empty.</summary>
    /// <exception cref="NotALedgerException">The file or database holds something else.</exception>
    public Task<ICertificateLedger> OpenAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default)
        => OpenAsync(LedgerOpenMode.CreateIfMissing, clock, cancellationToken);

    /// <summary>Opens the ledger this spec names; <paramref name="mode"/> says whether an empty store may be created.</summary>
    /// <exception cref="NotALedgerException">The file or database holds something else, or nothing (ExistingOnly).</exception>
    public async Task<ICertificateLedger> OpenAsync(LedgerOpenMode mode, TimeProvider? clock = null, CancellationToken cancellationToken = default)
        => Engine switch
        {
            LedgerEngine.Sqlite when Target == InMemory => await SqliteLedger.OpenInMemoryAsync(clock, cancellationToken).ConfigureAwait(false),
            LedgerEngine.Sqlite => await SqliteLedger.OpenAsync(Target, mode, clock, cancellationToken).ConfigureAwait(false),
            _ => await PostgresLedger.OpenAsync(Target, mode, clock, cancellationToken).ConfigureAwait(false),
        };

    private static string CheckedConnectionString(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("the postgres ledger spec is not a valid connection string; " + Usage, nameof(connectionString));
        }
    }
}
