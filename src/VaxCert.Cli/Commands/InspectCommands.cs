using System.CommandLine;
using Spectre.Console;
using VaxCert.Issuing.Inspection;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert inspect [HC1|-]</c>: prints the annotated hex of the QR's COSE_Sign1 (docs/format.md's worked example is
/// this output). Checks nothing: use <c>vaxcert verify</c> for that. Exit 0, or 2 when the text does not decode.
/// </summary>
public sealed class InspectCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var qr = new Argument<string?>("qr") { Description = "The HC1 text, or - to read it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("inspect", ExitCodes.Describe("Show the bytes of an HC1 certificate, annotated (no verification).", "0 shown, 2 not a decodable HC1")) { qr };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(qr) is { } q and not "-" ? q : Console.In.ReadToEnd();
            var dump = Hc1Anatomy.Describe(text.Trim(), out var failure);
            if (dump is null)
            {
                return CliError.Fail(AnsiConsole.Console, $"not a decodable HC1 ({failure})", 2);
            }
            Console.Out.Write(dump);
            return 0;
        });
        root.Add(command);
    }
}
