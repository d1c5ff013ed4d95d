namespace VaxCert.Bench;

/// <summary>Every scenario, grouped by feature area; each area adds its scenarios in its own file under Scenarios/.</summary>
public static class ScenarioRegistry
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        .. Scenarios.IssuanceScenarios.All,
        .. Scenarios.DeflateScenarios.All,
        .. Scenarios.LedgerScenarios.All,
        .. Scenarios.MerkleScenarios.All,
        .. Scenarios.Pkcs11Scenarios.All,
        .. Scenarios.VerifierScenarios.All,
        .. Scenarios.ServerScenarios.All,
        .. Scenarios.ChainScenarios.All,
        .. Scenarios.ScaleScenarios.All,
        .. Scenarios.ScaleStageScenarios.All,
        .. Scenarios.ReissueScenarios.All,
        .. Scenarios.RevocationListScenarios.All,
        .. Scenarios.BundleScenarios.All,
        .. Scenarios.ScaleOutScenarios.All,
    ];
}
