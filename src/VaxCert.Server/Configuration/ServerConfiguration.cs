using Microsoft.Extensions.Configuration;

namespace VaxCert.Server.Configuration;

/// <summary>Reads <see cref="ServerSettings"/>: defaults, then the JSON file, then VAXCERT_* variables, then command-line overrides.</summary>
public static class ServerConfiguration
{
    /// <summary>Prefix of the environment variables (VAXCERT_LEDGER, VAXCERT_TLS__CERTIFICATE, ...; "__" separates levels).</summary>
    public const string EnvironmentPrefix = "VAXCERT_";

    /// <summary>Builds the settings. <paramref name="overrides"/> uses configuration keys ("Ledger", "Signer:Token", ...).</summary>
    /// <exception cref="ArgumentException">The file is missing or not valid JSON, or a value has the wrong type.</exception>
    public static ServerSettings Load(string? configFile, IReadOnlyDictionary<string, string?>? overrides = null,
        IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new ArgumentException($"config file {configFile} not found");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        if (environment is null)
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        else
            builder.AddInMemoryCollection(environment.Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)));
        builder.AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        try
        {
            var settings = new ServerSettings();
            builder.Build().Bind(settings);
            return settings;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ArgumentException("invalid server configuration: " + e.Message, e);
        }
    }
}
