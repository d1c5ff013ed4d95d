using VaxCert.Core.Chain;
using VaxCert.Core.Encoding;

namespace VaxCert.Verifier.Checks;

/// <summary>
/// The facility level of VaxCert's two-level chain as a verifier stage: checks the facility co-signature (CWT claim
/// -65538) with <see cref="FacilityAttestationVerifier"/> at the certificate's issue time (a facility certificate must
/// be valid when the ministry issued, not years later when the QR is scanned). An unknown facility certificate or one
/// from another CA answers <see cref="ReasonCode.FacilityUnknown"/>; every other failure
/// <see cref="ReasonCode.FacilityCoSignatureInvalid"/>. A QR without co-signature passes unless
/// <c>requireCoSignature</c> is set (EU-style QRs of other issuers carry none). Thread-safe; never throws.
/// </summary>
/// <param name="facility">The facility trust and (optionally) the store of full attestations for digest-form QRs.</param>
/// <param name="requireCoSignature">When true, a QR without claim -65538 fails with FacilityCoSignatureInvalid.</param>
public sealed class FacilityCoSignatureCheck(FacilityAttestationVerifier facility, bool requireCoSignature = false) : IAdditionalCheck
{
    private readonly FacilityAttestationVerifier _facility = facility ?? throw new ArgumentNullException(nameof(facility));

    /// <summary>True when a QR without co-signature fails.</summary>
    public bool RequireCoSignature { get; } = requireCoSignature;

    /// <inheritdoc />
    public string Name => "facility-co-signature";

    /// <inheritdoc />
    public ReasonCode Check(AdditionalCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ToReason(Inspect(context.Claims, context.Now));
    }

    /// <summary>
    /// The detailed facility verdict on already decoded claims (what <see cref="Check"/> maps to a reason code), for apps
    /// and tools that show why the facility level failed.
    /// </summary>
    /// <param name="claims">The CWT claims of the QR.</param>
    /// <param name="now">Used only when the claims carry no issue time.</param>
    public FacilityCheck Inspect(CwtClaims claims, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return _facility.Verify(claims, claims.IssuedAt ?? now);
    }

    /// <summary>The reason code for a facility verdict under this check's <see cref="RequireCoSignature"/> setting.</summary>
    public ReasonCode ToReason(FacilityCheck check) => check switch
    {
        FacilityCheck.Valid => ReasonCode.None,
        FacilityCheck.Missing => RequireCoSignature ? ReasonCode.FacilityCoSignatureInvalid : ReasonCode.None,
        FacilityCheck.UnknownFacilityCertificate or FacilityCheck.CertificateFromAnotherCa => ReasonCode.FacilityUnknown,
        _ => ReasonCode.FacilityCoSignatureInvalid,
    };
}

/// <summary>Reads which level of the two-level chain a verifier answer failed at.</summary>
public static class ChainLevelReader
{
    /// <summary>
    /// <see cref="ChainLevel.None"/> for a Valid answer; <see cref="ChainLevel.Facility"/> when the deciding failure is the
    /// facility co-signature (additional stage, <see cref="ReasonCode.FacilityUnknown"/> or
    /// <see cref="ReasonCode.FacilityCoSignatureInvalid"/>); otherwise <see cref="ChainLevel.Ministry"/>: the hcert
    /// certificate itself (decoding, signer, time, content, revocation, trust list) failed or could not be decided.
    /// </summary>
    public static ChainLevel FailedLevel(this VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsValid) return ChainLevel.None;
        return result.Reason is ReasonCode.FacilityUnknown or ReasonCode.FacilityCoSignatureInvalid
               && result[VerificationStage.Additional].Failed
            ? ChainLevel.Facility
            : ChainLevel.Ministry;
    }
}
