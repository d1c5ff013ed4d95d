using System.CommandLine;
using Spectre.Console;
using VaxCert.Issuing.Pki;

namespace VaxCert.Cli.Commands;

/// <summary><c>vaxcert pki init-dev [--out keys-dev] [--rsa-facility] [--force]</c>: writes the development PKI (NOT FOR PRODUCTION).</summary>
public sealed class PkiCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "keys-dev" };
        var rsa = new Option<bool>("--rsa-facility") { Description = $"Also issue an RSA-2048 facility certificate ({DevPkiGenerator.RsaFacility.Code})" };
        var force = new Option<bool>("--force") { Description = "Replace an existing dev PKI (new keys)" };
        var init = new Command("init-dev", ExitCodes.Describe("Generate the development PKI: CSCA, DSCs, facility CA, facility certificates. NOT FOR PRODUCTION.",
            "0 written, 2 the folder already holds a PKI (give --force) or cannot be written"))
        {
            output, rsa, force,
        };
        init.SetAction(parse => InitDev(new DevPkiOptions
        {
            OutputDirectory = parse.GetValue(output)!,
            IncludeRsaFacility = parse.GetValue(rsa),
            Force = parse.GetValue(force),
        }, AnsiConsole.Console));
        root.Add(new Command("pki", "Development public-key infrastructure.") { init });
    }

    internal static int InitDev(DevPkiOptions options, IAnsiConsole console)
    {
        try
        {
            var result = DevPkiGenerator.Generate(options);
            console.MarkupLine($"[yellow bold]NOT FOR PRODUCTION[/] dev PKI written to [bold]{Markup.Escape(result.OutputDirectory)}[/]:");
            foreach (var file in result.Files)
                console.WriteLine("  " + file);
            return 0;
        }
        catch (IOException e)
        {
            return CliError.Fail(console, e.Message, 2);
        }
    }
}
