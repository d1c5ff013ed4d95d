using Spectre.Console;

namespace VaxCert.Cli.Commands;

/// <summary>
/// The one error style of every command: a single line "error: ...", never wrapped and never a stack trace. On the
/// process console it goes to stderr (so a pipe of stdout stays clean); a console given by a test gets it inline.
/// Exit codes are named constants of each command's action class and listed in its --help (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CliError
{
    /// <summary>Writes "error: message" as one line (the console would wrap a long path at its width).</summary>
    public static void Write(IAnsiConsole console, string message)
    {
        var text = message.ReplaceLineEndings(" ");
        if (ReferenceEquals(console, AnsiConsole.Console))
        {
            Console.Error.WriteLine("error: " + text);
            return;
        }
        if (console.Profile.Capabilities.Ansi) console.MarkupLine($"[red bold]error:[/] {Markup.Escape(text)}");
        else console.Profile.Out.Writer.WriteLine("error: " + text);
    }

    /// <summary>Writes the error line and returns <paramref name="exitCode"/>, for <c>return CliError.Fail(...)</c>.</summary>
    public static int Fail(IAnsiConsole console, string message, int exitCode)
    {
        Write(console, message);
        return exitCode;
    }
}

/// <summary>Exit codes shared by several commands, and the wording --help uses for them.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure (a bug): one "error: ..." line; VAXCERT_DEBUG=1 adds the stack trace.</summary>
    public const int Internal = 70;

    /// <summary>Appended to every command's --help text: what every command may also return.</summary>
    public const string Common = " Every command: 64 command-line mistake (unknown option, missing required option), 70 unexpected internal error.";

    /// <summary>A command-line mistake (unknown option, missing required option): EX_USAGE of sysexits.h.</summary>
    public const int Usage = 64;

    /// <summary>A command's description followed by its exit codes, e.g. <c>Describe("Sign rows.", "0 all signed, 1 some rejected")</c>.</summary>
    public static string Describe(string description, string codes) => $"{description} Exit codes: {codes}.{Common}";
}
