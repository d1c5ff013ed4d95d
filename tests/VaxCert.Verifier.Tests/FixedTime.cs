namespace VaxCert.Verifier.Tests;

/// <summary>A clock stopped at one instant (the vectors' VALIDATIONCLOCK, or a chosen "now").</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
