namespace VaxCert.Conformance.Running;

/// <summary>How one expectation of one vector ended.</summary>
public enum FlagStatus
{
    /// <summary>The verifier agreed with the expectation.</summary>
    Passed,
    /// <summary>The verifier disagreed (or the vector could not be read).</summary>
    Failed,
    /// <summary>Listed in the known-issues file: the upstream expectation is wrong; not counted as a pass.</summary>
    KnownIssue,
    /// <summary>Not checked, with the reason (e.g. no QR image reader installed).</summary>
    Skipped,
}

/// <summary>One expectation (flag or EXPECTEDREASON) of one vector and what the run found.</summary>
/// <param name="Folder">The folder given to the run.</param>
/// <param name="Vector">The vector's path below the folder.</param>
/// <param name="Flag">EXPECTED* flag, EXPECTEDREASON, or "(vector)" for a file that could not be run at all.</param>
/// <param name="Expected">The expectation as written ("true", "false", "3201 SignatureInvalid").</param>
/// <param name="Status">Passed, failed, known issue or skipped.</param>
/// <param name="Detail">What the verifier answered, the known issue's reason, or why it was skipped.</param>
public sealed record FlagResult(string Folder, string Vector, string Flag, string Expected, FlagStatus Status, string Detail);
