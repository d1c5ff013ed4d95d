using System.Text.Json.Nodes;
using VaxCert.Verifier;

namespace VaxCert.Conformance.Generation;

/// <summary>
/// One vector before it is written: the final QR text, what it should decode to, its context and the expectation.
/// <see cref="FailingStage"/> is where the vector is meant to fail (null: valid); the EU flags are derived from it.
/// </summary>
internal sealed record GeneratedVector
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required bool Positive { get; init; }
    public required string Prefix { get; init; }
    public required byte[] DscDer { get; init; }
    public ReasonCode ExpectedReason { get; init; } = ReasonCode.None;
    public VerificationStage? FailingStage { get; init; }
    /// <summary>The DCC the QR carries (JSON field), when it has one.</summary>
    public JsonObject? Dcc { get; init; }
    public byte[]? DccCbor { get; init; }
    public byte[]? Cose { get; init; }
    public byte[]? Compressed { get; init; }
    public DateTimeOffset ValidationClock { get; init; } = GenerationClock.ValidationClock;
    /// <summary>VaxCert TESTCTX extensions (CSCA, FACILITYCA, REVOCATION, ...).</summary>
    public JsonObject Extensions { get; init; } = [];
    /// <summary>Include the QR image (2DCODE) and EXPECTEDPICTUREDECODE.</summary>
    public bool WithImage { get; init; }
}
