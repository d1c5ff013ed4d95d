namespace VaxCert.Core.Chain;

/// <summary>
/// Why a facility co-signature is not accepted, at issuance (ministry) or verification (app). Stable names: they appear in
/// refusal reports, docs/facility.md and verifier answers.
/// </summary>
public enum FacilityCheck
{
    /// <summary>The co-signature checks out.</summary>
    Valid = 0,
    /// <summary>No facility attestation (claim -65538) where one is required.</summary>
    Missing,
    /// <summary>The attestation is not the documented CBOR structure.</summary>
    Malformed,
    /// <summary>No known facility certificate has the attestation's kid.</summary>
    UnknownFacilityCertificate,
    /// <summary>The facility certificate does not chain to the facility CA (issued by another CA).</summary>
    CertificateFromAnotherCa,
    /// <summary>The facility certificate has expired (or is not yet valid) at the time checked.</summary>
    FacilityCertificateExpired,
    /// <summary>The facility certificate is on the revocation list (by serial number or kid).</summary>
    FacilityCertificateRevoked,
    /// <summary>The facility certificate carries no facility code (subject serialNumber).</summary>
    FacilityCodeMissing,
    /// <summary>The facility code in the certificate is not the facility in the record's UVCI.</summary>
    FacilityCodeMismatch,
    /// <summary>The algorithm does not match the certificate's key.</summary>
    AlgorithmMismatch,
    /// <summary>The signature does not cover this content: the record changed after the facility signed it (or the signature is corrupt).</summary>
    RecordChangedAfterSigning,
    /// <summary>Only a digest is in the QR and the full attestation could not be found to check it.</summary>
    FullAttestationUnavailable,
}
