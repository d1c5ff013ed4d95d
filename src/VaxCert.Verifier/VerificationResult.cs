using System.Diagnostics.CodeAnalysis;

namespace VaxCert.Verifier;

/// <summary>
/// The immutable answer of <see cref="CertificateVerifier.Verify(string)"/>: the outcome, the deciding reason, every stage's result,
/// what was decoded and which signer was used.
/// </summary>
public sealed class VerificationResult
{
    private readonly StageResult[] _stages;

    internal VerificationResult(VerificationOutcome outcome, ReasonCode reason, StageResult[] stages,
        DecodedCertificate? certificate, SignerInfo? signer, DateTimeOffset checkedAt, TimeSpan? trustListAge = null)
    {
        // Valid only with what it vouches for: a certificate, its signer and, for a vaccination, the 11-field record. A
        // violation is a verifier bug; Verify turns the exception into Indeterminate/InternalError, never a bare Valid.
        if (outcome == VerificationOutcome.Valid
            && (certificate is null || signer is null || (certificate.Type == DccTypes.Vaccination && certificate.Record is null)))
            throw new InvalidOperationException("a Valid result must carry its certificate, signer and vaccination record");
        Outcome = outcome;
        Reason = reason;
        _stages = stages;
        Certificate = certificate;
        Signer = signer;
        CheckedAt = checkedAt;
        TrustListAge = trustListAge;
    }

    /// <summary>
    /// How old the trust material was at <see cref="CheckedAt"/> (now minus its issue time), so an Indeterminate answer
    /// for stale trust (<see cref="ReasonCode.TrustListTooOld"/>, <see cref="ReasonCode.TrustListExpired"/>) can say by how
    /// much; null when the verifier failed before reading its clock.
    /// </summary>
    public TimeSpan? TrustListAge { get; }

    /// <summary>Valid, Invalid or Indeterminate.</summary>
    public VerificationOutcome Outcome { get; }

    /// <summary>The deciding reason (None when valid).</summary>
    public ReasonCode Reason { get; }

    /// <summary>
    /// True only when every enabled check ran and passed; then <see cref="Certificate"/> and <see cref="Signer"/> are set,
    /// and a vaccination certificate's <see cref="DecodedCertificate.Record"/> too.
    /// </summary>
    [MemberNotNullWhen(true, nameof(Certificate), nameof(Signer))]
    public bool IsValid => Outcome == VerificationOutcome.Valid;

    /// <summary>One result per <see cref="VerificationStage"/>, in stage order.</summary>
    public IReadOnlyList<StageResult> Stages => _stages;

    /// <summary>The result of one stage.</summary>
    public StageResult this[VerificationStage stage] => _stages[(int)stage];

    /// <summary>The decoded certificate, when decoding got that far (also for Invalid answers, for display).</summary>
    public DecodedCertificate? Certificate { get; }

    /// <summary>The trust-list signer whose key verified the signature, if any.</summary>
    public SignerInfo? Signer { get; }

    /// <summary>The "now" the checks used (from the verifier's TimeProvider).</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Outcome} ({(int)Reason} {Reason})";
}
