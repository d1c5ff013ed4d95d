using VaxCert.Core.Chain;
using VaxCert.Verifier;
using VaxCert.Verifier.Checks;

namespace VaxCert.Conformance.Running;

/// <summary>
/// The two-level chain as a verifier plug-in: checks the facility co-signature (claim -65538) at the CWT iat with Core's
/// <see cref="FacilityAttestationVerifier"/> and answers <see cref="ReasonCode.FacilityUnknown"/> for an unknown facility
/// certificate, <see cref="ReasonCode.FacilityCoSignatureInvalid"/> for every other refusal.
/// </summary>
public sealed class FacilityCoSignatureCheck(FacilityAttestationVerifier facility) : IAdditionalCheck
{
    /// <inheritdoc />
    public string Name => "facility co-signature";

    /// <inheritdoc />
    public ReasonCode Check(AdditionalCheckContext context)
    {
        var at = context.Claims.IssuedAt ?? context.Now;
        return ToReason(facility.Verify(context.Claims, at));
    }

    /// <summary>The verifier reason for a facility verdict.</summary>
    public static ReasonCode ToReason(FacilityCheck check) => check switch
    {
        FacilityCheck.Valid => ReasonCode.None,
        FacilityCheck.UnknownFacilityCertificate => ReasonCode.FacilityUnknown,
        _ => ReasonCode.FacilityCoSignatureInvalid,
    };
}
