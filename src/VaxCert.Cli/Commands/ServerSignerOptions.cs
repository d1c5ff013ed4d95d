using System.CommandLine;

namespace VaxCert.Cli.Commands;

/// <summary>
/// The options of offline operator commands that sign with the server's configured document signer and use its ledger
/// (<c>revocations export</c>, <c>reissue</c>): each overrides one key of the server configuration (docs/server.md).
/// </summary>
internal sealed class ServerSignerOptions
{
    private readonly (Option<string?> Option, string Key)[] _overrides =
    [
        (new Option<string?>("--dsc-cert") { Description = "Signer certificate PEM (software key)" }, "Signer:DscCert"),
        (new Option<string?>("--dsc-key") { Description = "Signer private key PEM (software key, dev only)" }, "Signer:DscKey"),
        (new Option<string?>("--pkcs11-module") { Description = "PKCS#11 module path" }, "Signer:Pkcs11Module"),
        (new Option<string?>("--token") { Description = "PKCS#11 token label" }, "Signer:Token"),
        (new Option<string?>("--key") { Description = "Key label on the token" }, "Signer:Key"),
        (new Option<string?>("--pin-env") { Description = "Environment variable holding the token PIN" }, "Signer:PinEnv"),
        (new Option<string?>("--keys-dir") { Description = "Development key folder (default keys-dev)" }, "KeysDir"),
    ];

    private readonly Option<bool> _dev;

    /// <summary>--ledger: the ledger spec, defaulting to the one serve uses.</summary>
    public static Option<string?> LedgerOption() => new("--ledger")
    {
        Description = $"Ledger spec: sqlite:PATH or postgres:... (default: the ledger serve uses: --config, {AuditCommands.LedgerVariable}, sqlite:.vaxcert/ledger.db)",
    };

    /// <summary>--config: the server's configuration file.</summary>
    public static Option<string?> ConfigOption() => new("--config") { Description = "The server's JSON configuration file (ledger, signer, issuer)" };

    public ServerSignerOptions(string devDescription) =>
        _dev = new Option<bool>("--dev") { Description = devDescription };

    public void AddTo(Command command)
    {
        command.Add(_dev);
        foreach (var (option, _) in _overrides) command.Add(option);
    }

    /// <summary>The configuration overrides given on the command line, plus the ledger spec when given.</summary>
    public Dictionary<string, string?> Collect(ParseResult parse, string? ledgerSpec)
    {
        var overrides = _overrides.Where(o => parse.GetValue(o.Option) is not null).ToDictionary(o => o.Key, o => parse.GetValue(o.Option));
        if (parse.GetValue(_dev)) overrides["Dev"] = "true";
        if (ledgerSpec is not null) overrides["Ledger"] = ledgerSpec;
        return overrides;
    }
}
