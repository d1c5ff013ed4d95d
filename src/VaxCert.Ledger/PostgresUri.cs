using Npgsql;

namespace VaxCert.Ledger;

/// <summary>Turns a libpq-style <c>postgresql://</c> URI into an Npgsql connection string (Npgsql does not read URIs).</summary>
internal static class PostgresUri
{
    // libpq query parameters whose Npgsql keyword differs.
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["passfile"] = "Passfile",
    };

    public static string ToConnectionString(string uri)
    {
        try
        {
            var parsed = new Uri(uri);
            var builder = new NpgsqlConnectionStringBuilder { Host = Uri.UnescapeDataString(parsed.Host) };
            if (parsed.Port > 0)
                builder.Port = parsed.Port;
            if (parsed.UserInfo.Length > 0)
            {
                var colon = parsed.UserInfo.IndexOf(':');
                builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
                if (colon >= 0)
                    builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
            }
            var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
            if (database.Length > 0)
                builder.Database = database;
            foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                builder[Keywords.GetValueOrDefault(key, key)] = value;
            }
            return builder.ConnectionString;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            // The URI may hold a password: say what is wrong, never repeat it.
            throw new ArgumentException("the postgresql:// ledger spec is malformed (" + ex.GetType().Name + ")", nameof(uri));
        }
    }
}
