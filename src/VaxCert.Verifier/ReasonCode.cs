using VaxCert.Core.Encoding;

namespace VaxCert.Verifier;

/// <summary>
/// Why a certificate is not <see cref="VerificationOutcome.Valid"/>. Numbers are stable and append-only (never renumbered),
/// grouped by stage; 1xxx–2xxx and 5001 are the <see cref="DecodeFailure"/> numbers of VaxCert.Core, reused as they are.
/// Every code is documented in docs/reason-codes.md.
/// </summary>
public enum ReasonCode
{
    /// <summary>Every enabled check passed.</summary>
    None = 0,

    // 1xxx: transport (text, Base45, zlib). Same numbers as DecodeFailure.
    /// <summary>The input is longer than the configured cap (a QR code cannot hold it).</summary>
    InputTooLong = DecodeFailure.InputTooLong,
    /// <summary>No context prefix.</summary>
    PrefixMissing = DecodeFailure.PrefixMissing,
    /// <summary>A context prefix other than HC1: (HC2:, HL0:...).</summary>
    PrefixUnsupported = DecodeFailure.PrefixUnsupported,
    /// <summary>A character outside the Base45 alphabet.</summary>
    Base45InvalidCharacter = DecodeFailure.Base45InvalidCharacter,
    /// <summary>A Base45 group out of range or a dangling character.</summary>
    Base45InvalidGroup = DecodeFailure.Base45InvalidGroup,
    /// <summary>Not a zlib stream (header, deflate data, checksum, trailing bytes).</summary>
    ZlibInvalid = DecodeFailure.ZlibInvalid,
    /// <summary>Inflating exceeds the decompressed-size cap (zip bomb).</summary>
    ZlibTooLarge = DecodeFailure.ZlibTooLarge,

    // 2xxx: CBOR / COSE / CWT structure. Same numbers as DecodeFailure, plus algorithm and kid.
    /// <summary>The DCC is not well-formed CBOR within the size caps.</summary>
    CborInvalid = DecodeFailure.CborInvalid,
    /// <summary>The DCC CBOR nests deeper than the cap.</summary>
    CborTooDeep = DecodeFailure.CborTooDeep,
    /// <summary>Not a COSE_Sign1 structure (tag, shape, types).</summary>
    CoseInvalid = DecodeFailure.CoseInvalid,
    /// <summary>Malformed COSE headers (not a map, duplicate labels, wrong alg/kid types).</summary>
    CoseHeaderInvalid = DecodeFailure.CoseHeaderInvalid,
    /// <summary>The protected header's crit lists a parameter the verifier does not process (RFC 9052 §3.1).</summary>
    CoseCriticalHeaderUnsupported = DecodeFailure.CoseCriticalHeaderUnsupported,
    /// <summary>The COSE payload is not a CWT claims map.</summary>
    CwtInvalid = DecodeFailure.CwtInvalid,
    /// <summary>A CWT claim has the wrong type.</summary>
    CwtClaimInvalid = DecodeFailure.CwtClaimInvalid,
    /// <summary>No hcert claim -260 → 1.</summary>
    HcertMissing = DecodeFailure.HcertMissing,
    /// <summary>The COSE alg is missing or not ES256 (-7) / PS256 (-37).</summary>
    AlgorithmUnsupported = 2301,
    /// <summary>No kid in either header.</summary>
    KidMissing = 2302,

    // 3xxx: signer.
    /// <summary>No trusted signer certificate has this kid.</summary>
    KidUnknown = 3101,
    /// <summary>No signer certificate with this kid verifies the signature (or the alg does not fit its key).</summary>
    SignatureInvalid = 3201,
    /// <summary>The signer's extended key usage does not allow this certificate type (v/t/r).</summary>
    KeyUsageMismatch = 3301,
    /// <summary>The signer certificate was not valid at the certificate's issue time (iat).</summary>
    SignerNotValidAtIssuance = 3302,
    /// <summary>The signer certificate does not chain to its country's CSCA (valid at iat).</summary>
    SignerChainInvalid = 3303,

    // 4xxx: time.
    /// <summary>now − skew is after exp.</summary>
    CwtExpired = 4101,
    /// <summary>iat is after now + skew.</summary>
    CwtNotYetValid = 4102,
    /// <summary>iat or exp is absent, so the validity window cannot be checked.</summary>
    CwtTimeMissing = 4103,

    // 5xxx: payload content.
    /// <summary>The DCC payload is not a map, or holds a byte string (which JSON cannot express).</summary>
    DccInvalid = DecodeFailure.DccInvalid,
    /// <summary>The DCC fails the JSON schema of its ver.</summary>
    SchemaInvalid = 5101,
    /// <summary>The DCC does not hold exactly one of v, t, r.</summary>
    DccTypeAmbiguous = 5102,
    /// <summary>
    /// The DCC's dates are not real calendar dates, or its dose numbers not whole numbers from 1 to 2^31−1: content the
    /// schema leaves to <c>format</c> annotations but no real certificate can hold (the content stage, always run).
    /// </summary>
    DccContentInvalid = 5103,
    /// <summary>A coded field is not in its EU value set.</summary>
    ValueSetViolation = 5201,

    // 6xxx: national policy.
    /// <summary>The certificate breaks the configured VaxCert issuance policy (products, dose limits, type).</summary>
    PolicyViolation = 6101,

    // 7xxx: revocation.
    /// <summary>The certificate's UCI, country+UCI or signature hash is on the revocation list.</summary>
    Revoked = 7101,

    // 8xxx: trust material.
    /// <summary>The trust list is older than MaxTrustListAge: the answer cannot be trusted either way (Indeterminate).</summary>
    TrustListTooOld = 8101,
    /// <summary>The trust material is past the expiry its signer set (an offline trust bundle's exp): Indeterminate.</summary>
    TrustListExpired = 8102,

    // 9xxx: additional checks (extension point) and internal errors.
    /// <summary>Reserved for the two-level chain: the facility co-signature is invalid.</summary>
    FacilityCoSignatureInvalid = 9101,
    /// <summary>Reserved for the two-level chain: the co-signing facility is unknown.</summary>
    FacilityUnknown = 9102,
    /// <summary>An additional check failed without a more specific code.</summary>
    AdditionalCheckFailed = 9103,
    /// <summary>An unexpected internal error; never a pass (Indeterminate).</summary>
    InternalError = 9901,
}

/// <summary>Human-readable text and default outcome of each <see cref="ReasonCode"/>.</summary>
public static class ReasonCodeText
{
    /// <summary>A one-line English description.</summary>
    public static string Describe(this ReasonCode code) => code switch
    {
        ReasonCode.None => "all checks passed",
        ReasonCode.AlgorithmUnsupported => "the signature algorithm is missing or not ES256/PS256",
        ReasonCode.KidMissing => "the certificate names no signing key (kid)",
        ReasonCode.KidUnknown => "the signing key (kid) is not in the trust list",
        ReasonCode.SignatureInvalid => "the signature does not verify",
        ReasonCode.KeyUsageMismatch => "the signer may not sign this certificate type",
        ReasonCode.SignerNotValidAtIssuance => "the signer certificate was not valid when the certificate was issued",
        ReasonCode.SignerChainInvalid => "the signer certificate does not chain to its country's CSCA",
        ReasonCode.CwtExpired => "the certificate has expired",
        ReasonCode.CwtNotYetValid => "the certificate is not valid yet (issued in the future)",
        ReasonCode.CwtTimeMissing => "the certificate has no issue or expiry time",
        ReasonCode.SchemaInvalid => "the health certificate does not match the EU DCC schema",
        ReasonCode.DccTypeAmbiguous => "the health certificate must hold exactly one of vaccination, test, recovery",
        ReasonCode.DccContentInvalid => "a date of the health certificate is not a real date, or a dose number is not a whole number",
        ReasonCode.ValueSetViolation => "a coded value is not in its EU value set",
        ReasonCode.PolicyViolation => "the certificate does not meet Viet Nam's issuance policy",
        ReasonCode.Revoked => "the certificate has been revoked",
        ReasonCode.TrustListTooOld => "the trust list is too old to decide",
        ReasonCode.TrustListExpired => "the trust bundle has expired; update it to decide",
        ReasonCode.FacilityCoSignatureInvalid => "the vaccination facility's co-signature is invalid",
        ReasonCode.FacilityUnknown => "the co-signing vaccination facility is unknown",
        ReasonCode.AdditionalCheckFailed => "an additional check failed",
        ReasonCode.InternalError => "internal error while verifying; no decision",
        _ => Enum.IsDefined(typeof(DecodeFailure), (int)code) ? ((DecodeFailure)(int)code).Describe() : code.ToString(),
    };

    /// <summary>Indeterminate for codes that say "could not decide", Invalid for the rest (None is Valid).</summary>
    public static VerificationOutcome DefaultOutcome(this ReasonCode code) => code switch
    {
        ReasonCode.None => VerificationOutcome.Valid,
        ReasonCode.TrustListTooOld or ReasonCode.TrustListExpired or ReasonCode.InternalError => VerificationOutcome.Indeterminate,
        _ => VerificationOutcome.Invalid,
    };

    internal static ReasonCode FromDecode(DecodeFailure failure) => (ReasonCode)(int)failure;
}
