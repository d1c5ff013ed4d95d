using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Verifier;

/// <summary>How a <see cref="CertificateVerifier"/> checks. Defaults: system clock, 5 minutes skew, schema and value sets on.</summary>
public sealed record VerifierOptions
{
    /// <summary>The clock ("now"). Inject a fixed one for tests and for replaying a decision.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Tolerance for clocks that disagree: iat ≤ now + skew and now − skew ≤ exp.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When set, a trust list older than this makes every answer Indeterminate (TrustListTooOld), never Valid.</summary>
    public TimeSpan? MaxTrustListAge { get; init; }

    /// <summary>JSON schema of the DCC's ver plus exactly one of v/t/r.</summary>
    public bool CheckSchema { get; init; } = true;

    /// <summary>Value-set membership of the coded fields.</summary>
    public bool CheckValueSets { get; init; } = true;

    /// <summary>
    /// The value sets to check against (for example those of an offline trust bundle, or EU value-set JSON loaded with
    /// <see cref="ValueSets.TryWith"/>); the sets shipped in VaxCert.Core when null.
    /// </summary>
    public ValueSets? ValueSets { get; init; }

    /// <summary>Viet Nam's issuance policy; not applied when null.</summary>
    public PolicyCheck? Policy { get; init; }

    /// <summary>Revocation hashes; not checked when null.</summary>
    public RevocationList? Revocation { get; init; }

    /// <summary>Further checks (e.g. the facility co-signature), run in order after everything else passed.</summary>
    public IReadOnlyList<IAdditionalCheck> AdditionalChecks { get; init; } = [];

    /// <summary>Input, decompression and CBOR caps.</summary>
    public Hc1DecodeOptions Decoding { get; init; } = Hc1DecodeOptions.Default;

    /// <summary>The defaults.</summary>
    public static VerifierOptions Default { get; } = new();
}
