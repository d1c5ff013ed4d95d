using VaxCert.Core.Encoding;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Checks;

/// <summary>
/// Extension point for checks beyond hcert, run after the signature, time, schema and revocation stages passed (for
/// example the two-level chain's facility co-signature: answer <see cref="ReasonCode.FacilityCoSignatureInvalid"/> or
/// <see cref="ReasonCode.FacilityUnknown"/>). Implementations must be thread-safe and should not throw; if one does, the
/// verifier answers Indeterminate/<see cref="ReasonCode.InternalError"/>, never Valid.
/// </summary>
public interface IAdditionalCheck
{
    /// <summary>A short name for diagnostics.</summary>
    string Name { get; }

    /// <summary><see cref="ReasonCode.None"/> to pass, or the reason it fails.</summary>
    ReasonCode Check(AdditionalCheckContext context);
}

/// <summary>Everything an additional check may need, all of it already verified by the earlier stages.</summary>
/// <param name="Certificate">The decoded certificate.</param>
/// <param name="Message">The COSE_Sign1 as received (raw protected header, payload and signature).</param>
/// <param name="Claims">The CWT claims, including the raw facility attestation claim when present.</param>
/// <param name="Signer">The trusted signer that verified the signature.</param>
/// <param name="Now">The verifier's current time.</param>
public sealed record AdditionalCheckContext(DecodedCertificate Certificate, CoseSign1Message Message, CwtClaims Claims,
    TrustedSigner Signer, DateTimeOffset Now);
