namespace VaxCert.Core.Bundle;

/// <summary>
/// The constants of VaxCert's signed offline trust bundle (docs/verifier.md#offline-trust-bundle): a COSE_Sign1 whose
/// protected header carries alg, kid, content type <see cref="ContentType"/> and the bundle signer's certificate
/// (x5chain, label 33), and whose payload is the CBOR map of <see cref="TrustBundleContent"/>.
/// </summary>
public static class TrustBundleFormat
{
    /// <summary>The only payload format version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>COSE content type (header label 3) of a bundle: what separates a bundle from any other COSE_Sign1.</summary>
    public const string ContentType = "application/vnd.vaxcert.trust-bundle+cbor";

    /// <summary>COSE header label of the content type.</summary>
    public const int HeaderContentType = 3;

    /// <summary>COSE header label x5chain (RFC 9360): the signer certificate (one bstr) or a chain (array of bstr).</summary>
    public const int HeaderX5Chain = 33;

    /// <summary>
    /// Extended key usage a bundle-signing certificate must carry (an OID under 2.25, the UUID arc, so it needs no
    /// registration). A document signer (DSC) under the same CSCA lacks it and so can never sign a bundle.
    /// </summary>
    public const string BundleSigningEku = "2.25.177246517462325474727265226497479058714";

    /// <summary>The largest bundle accepted (bytes); anything bigger is refused before parsing.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>EU revocation hash type names, as the EU revocation distribution service spells them.</summary>
    public const string HashUci = "UCI", HashCountryCodeUci = "COUNTRYCODEUCI", HashSignature = "SIGNATURE";

    /// <summary>EU revocation partition modes.</summary>
    public const string ModePoint = "POINT", ModeVector = "VECTOR", ModeCoordinate = "COORDINATE";

    /// <summary>Bytes of one EU revocation hash.</summary>
    public const int HashBytes = 16;
}

/// <summary>A document signer certificate (DSC) in a bundle, with its country.</summary>
/// <param name="Der">The certificate.</param>
/// <param name="Country">ISO 3166 alpha-2 of the issuing country.</param>
public sealed record BundleSigner(byte[] Der, string Country);

/// <summary>One EU revocation partition: x/y where the mode uses them, the expiry, and 16-byte hashes.</summary>
public sealed record BundleRevocationPartition(byte? X, byte? Y, DateTimeOffset Expires, IReadOnlyList<byte[]> Hashes);

/// <summary>The revocations of one (signer kid, hash type), partitioned as the EU service does.</summary>
/// <param name="KeyId">The DSC kid (8 bytes).</param>
/// <param name="HashType">UCI, COUNTRYCODEUCI or SIGNATURE.</param>
/// <param name="Mode">POINT, VECTOR or COORDINATE.</param>
/// <param name="Partitions">The partitions.</param>
public sealed record BundleRevocationList(byte[] KeyId, string HashType, string Mode, IReadOnlyList<BundleRevocationPartition> Partitions);

/// <summary>
/// What a trust bundle carries. A full bundle has <see cref="BaseSequence"/> null and lists everything; a delta names the
/// sequence it applies to and lists only what changed: added signers and facility certificates, removed ones (by SHA-256
/// of the DER, lower-case hex), added facility revocations, added revocation hashes, replaced value sets (by id) and,
/// when <see cref="Rules"/> is not null, the whole new rule set.
/// </summary>
public sealed record TrustBundleContent
{
    /// <summary>Payload format version (<see cref="TrustBundleFormat.Version"/>).</summary>
    public int FormatVersion { get; init; } = TrustBundleFormat.Version;

    /// <summary>The issuing country (ISO 3166 alpha-2).</summary>
    public string Issuer { get; init; } = "VN";

    /// <summary>Increases with every bundle the issuer publishes; a verifier never goes back to a lower one.</summary>
    public required long Sequence { get; init; }

    /// <summary>For a delta, the sequence it applies to; null for a full bundle.</summary>
    public long? BaseSequence { get; init; }

    /// <summary>When the bundle was built.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>After this instant the bundle is stale: it is refused, and verifiers built on it answer Indeterminate.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Document signers (DSCs); in a delta, the added ones.</summary>
    public IReadOnlyList<BundleSigner> Signers { get; init; } = [];

    /// <summary>Delta only: SHA-256 (hex) of the DER of DSCs to drop.</summary>
    public IReadOnlyList<string> RemovedSigners { get; init; } = [];

    /// <summary>Facility CA certificates (the roots facility certificates chain to).</summary>
    public IReadOnlyList<byte[]> FacilityCas { get; init; } = [];

    /// <summary>Known facility certificates; in a delta, the added ones.</summary>
    public IReadOnlyList<byte[]> FacilityCertificates { get; init; } = [];

    /// <summary>Delta only: SHA-256 (hex) of facility certificates (or CAs) to drop.</summary>
    public IReadOnlyList<string> RemovedFacilityCertificates { get; init; } = [];

    /// <summary>Revoked facility certificates: serial number (hex) or kid (base64), as facility-revoked.txt.</summary>
    public IReadOnlyList<string> FacilityRevoked { get; init; } = [];

    /// <summary>EU-format revocation lists of issued certificates; in a delta, the added hashes.</summary>
    public IReadOnlyList<BundleRevocationList> Revocations { get; init; } = [];

    /// <summary>EU value-set JSON documents (one per set, optional "displayVi" per value); in a delta, the replaced ones.</summary>
    public IReadOnlyList<byte[]> ValueSets { get; init; } = [];

    /// <summary>Business rules in the EU gateway JSON format (an array); null for none (full) or unchanged (delta).</summary>
    public string? Rules { get; init; }

    /// <summary>True for a delta.</summary>
    public bool IsDelta => BaseSequence is not null;
}
