using System.CommandLine;
using Spectre.Console;
using VaxCert.Conformance;
using VaxCert.Conformance.Generation;
using VaxCert.Conformance.Running;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert conformance run DIR... [--json] [--junit FILE] [--known-issues FILE]</c> (exit 0 all expectations held, 1 any
/// mismatch, 2 usage) and <c>vaxcert conformance generate --out DIR [--keys DIR]</c>. See docs/conformance.md.
/// </summary>
public sealed class ConformanceCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var folders = new Argument<string[]>("folders") { Description = "Vector folders (interop-vectors, ../shared/eu-dcc/testdata, ...)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var junit = new Option<string?>("--junit") { Description = "Also write a JUnit XML report to this file" };
        var known = new Option<string[]>("--known-issues") { Description = "Known-issues TSV (default: interop-vectors/eu-known-issues.tsv)", AllowMultipleArgumentsPerToken = true };
        var run = new Command("run", ExitCodes.Describe("Run every test vector under the folders through the verifier.", "0 every expectation held, 1 any mismatch, 2 usage (folder or known-issues file unreadable)")) { folders, json, junit, known };
        run.SetAction(parse => ConformanceRunAction.Run(
            new ConformanceRunRequest(parse.GetValue(folders) ?? [], parse.GetValue(json), parse.GetValue(junit), parse.GetValue(known) ?? []),
            AnsiConsole.Console, ZbarImageReader.FromPath()));

        var output = new Option<string>("--out") { Description = "Folder to write OUT/vaxcert into", DefaultValueFactory = _ => "interop-vectors" };
        var keys = new Option<string>("--keys") { Description = "Dev PKI folder", DefaultValueFactory = _ => "keys-dev" };
        var generate = new Command("generate", ExitCodes.Describe("Write VaxCert's conformance vectors (OUT/vaxcert) from the dev PKI.", "0 written")) { output, keys };
        generate.SetAction(parse =>
        {
            var result = VectorGenerator.Generate(parse.GetValue(output)!, parse.GetValue(keys)!);
            AnsiConsole.MarkupLine($"wrote {result.Files.Count} vectors to {Markup.Escape(result.Folder)}");
            return 0;
        });
        root.Add(new Command("conformance", "Conformance test vectors: generate VaxCert's, run any.") { run, generate });
    }
}
