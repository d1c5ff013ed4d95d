using Spectre.Console;

namespace VaxCert.Conformance.Tests;

/// <summary>A Spectre console writing plain text (no colours, wide) into a string, for asserting on the report.</summary>
internal sealed class CapturedConsole
{
    private readonly StringWriter _writer = new();

    public CapturedConsole()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(_writer),
        });
        Console.Profile.Width = 400;
    }

    public IAnsiConsole Console { get; }

    public string Output => _writer.ToString();
}
