using System.CommandLine;
using System.Security.Cryptography;
using Spectre.Console;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Signing;
using VaxCert.Pkcs11.Tools;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert token list|test|export-cert|init-dev</c>: PKCS#11 tokens (USB tokens, HSMs, SoftHSM2). Argument handling only; the work is
/// in VaxCert.Pkcs11. PINs come from --pin-env / --pin-file (or a no-echo prompt), never from the command line.
/// </summary>
public sealed class TokenCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        root.Add(new Command("token", "PKCS#11 tokens and HSMs: list, self-test, export a certificate, create a SoftHSM2 dev token.")
        {
            ListCommand(), TestCommand(), ExportCertCommand(), InitDevCommand(),
        });
    }

    private const string TokenExit = "0 done, 2 the module, token, key or PIN is unusable (one line: error: ...)";

    private static Option<string?> ModuleOption() => new("--module")
    {
        Description = $"PKCS#11 module (default: ${Pkcs11Module.ModulePathVariable} or {Pkcs11Module.DefaultModulePath})",
    };

    private static Option<string?> PinEnvOption() => new("--pin-env") { Description = "Read the user PIN from this environment variable" };
    private static Option<string?> PinFileOption() => new("--pin-file") { Description = "Read the user PIN from the first line of this file" };

    private static Command ListCommand()
    {
        var module = ModuleOption();
        var pinEnv = PinEnvOption();
        var pinFile = PinFileOption();
        var command = new Command("list", ExitCodes.Describe("Slots, tokens, keys and certificates (private keys only with a PIN). No secrets are shown.", TokenExit))
        {
            module, pinEnv, pinFile,
        };
        command.SetAction(parse => Run(() =>
        {
            var source = OptionalPin(parse.GetValue(pinEnv), parse.GetValue(pinFile));
            var pin = source?.Obtain();
            try
            {
                using var m = Pkcs11Module.Load(Pkcs11Module.ResolvePath(parse.GetValue(module)));
                PrintListing(m, TokenInventory.List(m, pin));
            }
            finally
            {
                if (pin is not null) CryptographicOperations.ZeroMemory(pin);
            }
        }));
        return command;
    }

    private static Command TestCommand()
    {
        var module = ModuleOption();
        var token = new Option<string>("--token") { Description = "Token label", Required = true };
        var key = new Option<string>("--key") { Description = "Key (and certificate) label", Required = true };
        var pinEnv = PinEnvOption();
        var pinFile = PinFileOption();
        var command = new Command("test", ExitCodes.Describe("Log in, check key against certificate, sign once and verify; reports mechanism and timing.",
            "0 the signature verified, 1 it did not verify, 2 the module, token, key or PIN is unusable"))
        {
            module, token, key, pinEnv, pinFile,
        };
        command.SetAction(parse => Run(() =>
        {
            var result = TokenSelfTest.Run(new Pkcs11SignerOptions
            {
                ModulePath = parse.GetValue(module),
                Token = new TokenSelector(parse.GetValue(token)),
                Key = new KeySelector(parse.GetValue(key)),
                Pin = OptionalPin(parse.GetValue(pinEnv), parse.GetValue(pinFile)) ?? PinSource.Interactive(),
            });
            var console = AnsiConsole.Console;
            console.MarkupLine($"algorithm   {result.Algorithm}");
            console.MarkupLine($"mechanism   {Markup.Escape(result.Mechanism)}");
            console.MarkupLine($"certificate {Markup.Escape(result.CertificateSubject)}");
            console.MarkupLine($"kid         {result.KeyId}");
            console.MarkupLine($"open+login  {result.OpenTime.TotalMilliseconds:0.0} ms (includes the key/certificate probe)");
            console.MarkupLine($"sign        {result.SignTime.TotalMilliseconds:0.00} ms");
            console.MarkupLine(result.Verified ? "[green]signature verified with the certificate[/]" : "[red]signature did NOT verify[/]");
            return result.Verified ? 0 : 1;
        }));
        return command;
    }

    private static Command ExportCertCommand()
    {
        var module = ModuleOption();
        var token = new Option<string>("--token") { Description = "Token label", Required = true };
        var key = new Option<string?>("--key") { Description = "Key (and certificate) label" };
        var id = new Option<string?>("--id") { Description = "CKA_ID of the key and certificate in hex (instead of or with --key)" };
        var output = new Option<string?>("--out") { Description = "Write the PEM to this file (default: standard output)" };
        var pinEnv = PinEnvOption();
        var pinFile = PinFileOption();
        var command = new Command("export-cert",
            ExitCodes.Describe("Export a token key's X.509 certificate as PEM, e.g. for the ministry to register the facility. Needs no PIN unless the token hides certificates.", TokenExit))
        {
            module, token, key, id, output, pinEnv, pinFile,
        };
        command.SetAction(parse => Run(() =>
        {
            var label = parse.GetValue(key);
            var hexId = parse.GetValue(id);
            if (label is null && hexId is null)
                throw new ArgumentException("Give --key LABEL and/or --id HEX.");
            var pin = OptionalPin(parse.GetValue(pinEnv), parse.GetValue(pinFile))?.Obtain();
            try
            {
                using var m = Pkcs11Module.Load(Pkcs11Module.ResolvePath(parse.GetValue(module)));
                using var certificate = TokenCertificateExport.Read(m, new TokenSelector(parse.GetValue(token)),
                    new KeySelector(label, hexId is null ? null : Convert.FromHexString(hexId)), pin);
                var pem = TokenCertificateExport.ToPem(certificate);
                if (parse.GetValue(output) is { } path)
                {
                    File.WriteAllText(path, pem);
                    AnsiConsole.Console.MarkupLine($"wrote {Markup.Escape(path)}: {Markup.Escape(certificate.Subject)}, " +
                                                   $"SHA-256 {Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))}");
                }
                else
                {
                    Console.Out.Write(pem); // raw, so it can be piped into a file or another tool
                }
            }
            finally
            {
                if (pin is not null) CryptographicOperations.ZeroMemory(pin);
            }
        }));
        return command;
    }

    private static Command InitDevCommand()
    {
        var module = ModuleOption();
        var store = new Option<string>("--store") { Description = "New SoftHSM2 store folder when SOFTHSM2_CONF is not set", DefaultValueFactory = _ => ".vaxcert/softhsm" };
        var token = new Option<string>("--token") { Description = "Token label", DefaultValueFactory = _ => "vaxcert-dev" };
        var key = new Option<string>("--key") { Description = "Key and certificate label", DefaultValueFactory = _ => "facility-signing" };
        var id = new Option<string>("--id") { Description = "CKA_ID in hex", DefaultValueFactory = _ => "01" };
        var rsa = new Option<bool>("--rsa") { Description = "RSA-2048 (PS256) instead of EC P-256 (ES256)" };
        var subject = new Option<string>("--subject") { Description = "Certificate subject", DefaultValueFactory = _ => "CN=VaxCert dev facility token, O=VaxCert dev, C=VN" };
        var caCert = new Option<string?>("--ca-cert") { Description = "Issuing CA certificate PEM (default keys-dev/facility-ca.crt.pem if present)" };
        var caKey = new Option<string?>("--ca-key") { Description = "Issuing CA private key PEM (default keys-dev/facility-ca.key.pem if present)" };
        var pinEnv = PinEnvOption();
        var pinFile = PinFileOption();
        var command = new Command("init-dev", ExitCodes.Describe("Create a SoftHSM2 token with a fresh sign-only key pair and a certificate. NOT FOR PRODUCTION.", TokenExit))
        {
            module, store, token, key, id, rsa, subject, caCert, caKey, pinEnv, pinFile,
        };
        command.SetAction(parse => Run(() =>
        {
            var (certPath, keyPath) = IssuerPaths(parse.GetValue(caCert), parse.GetValue(caKey));
            var pinSource = OptionalPin(parse.GetValue(pinEnv), parse.GetValue(pinFile));
            var result = DevTokenSetup.Create(new DevTokenOptions
            {
                ModulePath = Pkcs11Module.ResolvePath(parse.GetValue(module)),
                StoreDirectory = parse.GetValue(store)!,
                TokenLabel = parse.GetValue(token)!,
                KeyLabel = parse.GetValue(key)!,
                KeyId = Convert.FromHexString(parse.GetValue(id)!),
                KeyType = parse.GetValue(rsa) ? TokenKeyType.Rsa2048 : TokenKeyType.EcP256,
                Subject = parse.GetValue(subject)!,
                IssuerCertificatePath = certPath,
                IssuerKeyPath = keyPath,
                UserPin = pinSource?.Obtain(),
            });
            var console = AnsiConsole.Console;
            console.MarkupLine("[yellow bold]NOT FOR PRODUCTION[/] SoftHSM2 dev token created:");
            console.MarkupLine($"  token       {Markup.Escape(result.Token.Label)} (serial {Markup.Escape(result.Token.SerialNumber)})");
            console.MarkupLine($"  key         {Markup.Escape(result.Key.Label)} id {Convert.ToHexStringLower(result.Key.Id)} {result.Key.Type}, sign-only, not extractable");
            console.MarkupLine($"  certificate {Markup.Escape(result.Key.Certificate.Subject)}");
            console.MarkupLine($"  issued by   {Markup.Escape(result.Issuer)}");
            console.MarkupLine($"  user PIN    {(result.UserPinFile is null ? "as given" : "in " + Markup.Escape(result.UserPinFile))}; SO PIN in {Markup.Escape(result.SoPinFile)}");
            if (result.NewStore)
                console.MarkupLine($"  store       new; use it with: export SOFTHSM2_CONF={Markup.Escape(result.SoftHsmConfig)}");
            return 0;
        }));
        return command;
    }

    private static (string? Cert, string? Key) IssuerPaths(string? cert, string? key)
    {
        if (cert is not null || key is not null)
            return (cert ?? throw new ArgumentException("--ca-key needs --ca-cert"), key ?? throw new ArgumentException("--ca-cert needs --ca-key"));
        const string defaultCert = "keys-dev/facility-ca.crt.pem", defaultKey = "keys-dev/facility-ca.key.pem";
        return File.Exists(defaultCert) && File.Exists(defaultKey) ? (defaultCert, defaultKey) : (null, null);
    }

    private static PinSource? OptionalPin(string? env, string? file)
        => env is not null ? PinSource.FromEnvironment(env) : file is not null ? PinSource.FromFile(file) : null;

    private static void PrintListing(Pkcs11Module module, IReadOnlyList<TokenListing> listings)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine($"module {Markup.Escape(module.Path)}, slots with a token: {string.Join(", ", module.GetSlots())}");
        foreach (var listing in listings)
        {
            var t = listing.Token;
            console.MarkupLine($"[bold]{Markup.Escape(t.Label)}[/] slot {t.SlotId}, serial {Markup.Escape(t.SerialNumber)}, " +
                               $"{Markup.Escape(t.Manufacturer)} {Markup.Escape(t.Model)}, PIN state {t.PinState}" +
                               (listing.LoggedIn ? "" : " (not logged in: private keys hidden)"));
            var table = new Table().AddColumns("class", "label", "id", "key type", "subject");
            foreach (var o in listing.Objects)
                table.AddRow(o.Class.ToString(), Markup.Escape(o.Label), o.Id, o.KeyType ?? "", Markup.Escape(o.Subject ?? ""));
            console.Write(table);
        }
    }

    /// <summary>Known failures become one red line and a non-zero exit code; the PIN is never part of any message.</summary>
    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is SigningException or Pkcs11LookupException or Net.Pkcs11Interop.Common.Pkcs11Exception
                                       or Net.Pkcs11Interop.Common.UnmanagedException or InvalidOperationException or IOException
                                       or ArgumentException or FormatException or CryptographicException)
        {
            return CliError.Fail(AnsiConsole.Console, e.Message, 2);
        }
    }

    private static int Run(Action action) => Run(() => { action(); return 0; });
}
