namespace VaxCert.Verifier.Bundle;

/// <summary>
/// Why a trust bundle (or an update to one) was refused. Numbers are stable and append-only, in the 82xx block next to the
/// trust-material reason codes, and documented in docs/reason-codes.md. A refused bundle changes nothing: the app keeps
/// the bundle it had (and verifiers built on it answer Indeterminate once that one expires).
/// </summary>
public enum BundleFailure
{
    /// <summary>Loaded (or the update applied).</summary>
    None = 0,
    /// <summary>Not a COSE_Sign1 trust bundle at all: empty, not CBOR, not COSE, or a payload that is not the bundle map.</summary>
    Malformed = 8201,
    /// <summary>Bundle content with no signature: bare CBOR content, an empty signature, or no signer certificate (x5chain).</summary>
    Unsigned = 8202,
    /// <summary>A COSE_Sign1 of some other kind (its content type is not a VaxCert trust bundle).</summary>
    NotABundle = 8203,
    /// <summary>The signature does not verify with the signer certificate in the header: a changed byte, or a forgery.</summary>
    BadSignature = 8204,
    /// <summary>The signer certificate does not chain to a pinned anchor.</summary>
    ForeignSigner = 8205,
    /// <summary>The signer chains to the anchor but lacks the bundle-signing extended key usage (a DSC, for instance).</summary>
    SignerNotAuthorized = 8206,
    /// <summary>The signer certificate (or its chain) was not valid when the bundle says it was issued.</summary>
    SignerNotValid = 8207,
    /// <summary>The payload format version is not one this SDK reads.</summary>
    UnsupportedVersion = 8208,
    /// <summary>Past its expiry: stale. <see cref="TrustBundleLoadResult.Age"/> says how old it is.</summary>
    Expired = 8209,
    /// <summary>Issued in the future (beyond the clock skew): the device clock or the bundle is wrong.</summary>
    NotYetValid = 8210,
    /// <summary>A delta that does not apply: loaded without its base, or its base is not the bundle in use.</summary>
    DeltaBaseMismatch = 8211,
    /// <summary>An update whose sequence is not newer than the bundle in use (a replayed older bundle).</summary>
    Rollback = 8212,
    /// <summary>Larger than <see cref="Core.Bundle.TrustBundleFormat.MaxBytes"/>.</summary>
    TooLarge = 8213,
    /// <summary>Signed and fresh, but its trust material is inconsistent (unreadable certificate, value set or rule, a revocation hash in the wrong partition).</summary>
    InvalidContent = 8214,
    /// <summary>The bundle file could not be read (missing, permissions).</summary>
    Unreadable = 8215,
}
