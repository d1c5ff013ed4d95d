using System.CommandLine;

namespace VaxCert.Cli;

/// <summary>A group of CLI commands contributed by one feature area.</summary>
public interface ICliModule
{
    void Register(RootCommand root);
}

internal static class CliModules
{
    // One line per feature area; each module lives in its own file under Commands/.
    public static readonly ICliModule[] All =
    [
        new Commands.DemoCommands(),
        new Commands.AuditCommands(),
        new Commands.RevocationCommands(),
        new Commands.ReissueCommands(),
        new Commands.PkiCommands(),
        new Commands.FacilityCommands(),
        new Commands.IssueCommands(),
        new Commands.TokenCommands(),
        new Commands.ServeCommands(),
        new Commands.VerifyCommands(),
        new Commands.BundleCommands(),
        new Commands.ConformanceCommands(),
        new Commands.InspectCommands(),
        new Commands.PrintCommands(),
    ];
}
