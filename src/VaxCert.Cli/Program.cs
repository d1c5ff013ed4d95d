using System.CommandLine;
using Spectre.Console;
using VaxCert.Cli;

// Logs, CI and pipes get plain text: no colour codes when output is redirected or NO_COLOR is set (no-color.org).
if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(Console.Out),
    });

// Thin shell: each feature contributes its commands through one ICliModule; all logic lives in the libraries.
var root = new RootCommand("VaxCert: Viet Nam vaccination certificates as EU-DCC compatible HC1 QR codes.");
foreach (var module in CliModules.All)
    module.Register(root);
return await root.Parse(args).InvokeAsync();
