using System.CommandLine;
using Spectre.Console;
using VaxCert.Cli.Commands;

namespace VaxCert.Cli;

/// <summary>
/// The process shell: console set-up for terminals and pipes, the command tree, one error style for what the commands
/// themselves do not catch (command-line mistakes, bugs).
/// </summary>
internal static class CliApp
{
    /// <summary>Line width when stdout is a pipe or a file: Spectre would otherwise wrap every line at 80 columns.</summary>
    public const int UnwrappedWidth = 4096;

    /// <summary>Every command, as <c>vaxcert</c> registers them.</summary>
    public static RootCommand BuildRoot()
    {
        // Thin shell: each feature contributes its commands through one ICliModule; all logic lives in the libraries.
        var root = new RootCommand("VaxCert: Viet Nam vaccination certificates as EU-DCC compatible HC1 QR codes. " +
                                   "Every command's --help lists its exit codes; errors are one line 'error: ...' on stderr.");
        foreach (var module in CliModules.All)
            module.Register(root);
        return root;
    }

    /// <summary>
    /// The console for this process. Logs, CI and pipes get plain text (no colour codes when output is redirected or
    /// NO_COLOR is set, no-color.org) and whole lines (no wrapping at 80 columns).
    /// </summary>
    public static void ConfigureConsole()
    {
        if (!Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = UnwrappedWidth;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        ConfigureConsole();
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !AsksForHelp(args))
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync("error: " + error.Message.ReplaceLineEndings(" "));
            var path = string.Join(' ', Ancestry(parse.CommandResult.Command));
            await Console.Error.WriteLineAsync($"(see: vaxcert {path}{(path.Length > 0 ? " " : "")}--help)");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("error: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            // A bug, not an operator mistake: one line, and the stack trace only when asked for.
            await Console.Error.WriteLineAsync($"error: unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} " +
                                               "(this is a bug; VAXCERT_DEBUG=1 prints the stack trace)");
            if (Environment.GetEnvironmentVariable("VAXCERT_DEBUG") is "1" or "true") await Console.Error.WriteLineAsync(e.ToString());
            return ExitCodes.Internal;
        }
    }

    private static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "/?" or "/h");

    private static IEnumerable<string> Ancestry(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c and not RootCommand; s = c.Parents.FirstOrDefault())
            names.Insert(0, c.Name);
        return names;
    }
}
