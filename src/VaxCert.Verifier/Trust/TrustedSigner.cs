using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Verifier.Trust;

/// <summary>
/// One signer (DSC) of a trust list, with everything the hot path needs precomputed: kid, public key object, validity
/// window, allowed types and the CSCA chain verdict. Immutable; the cached key is only used for verification.
/// </summary>
public sealed class TrustedSigner
{
    internal TrustedSigner(X509Certificate2 certificate, string country, DccTypes allowedTypes, ChainVerdict chain)
    {
        Certificate = certificate;
        KeyId = KeyIdentifier.For(certificate.RawData);
        Country = country;
        AllowedTypes = allowedTypes;
        Chain = chain;
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        Key = CoseVerificationKey.FromCertificate(certificate, out var keyProblem);
        KeyProblem = keyProblem;
        Info = new SignerInfo(Convert.ToHexStringLower(KeyId), certificate.Subject, country,
            Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
    }

    /// <summary>The certificate as loaded.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256(DER)[0..8].</summary>
    public byte[] KeyId { get; }

    /// <summary>The signer's country.</summary>
    public string Country { get; }

    /// <summary>The DCC types its EKU allows.</summary>
    public DccTypes AllowedTypes { get; }

    /// <summary>Start of the certificate's validity.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of the certificate's validity.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The CSCA chain verdict computed when the trust list was built.</summary>
    public ChainVerdict Chain { get; }

    /// <summary>Display form for results.</summary>
    public SignerInfo Info { get; }

    /// <summary>The profile-checked verification key; null when the key is outside the profile (then nothing verifies).</summary>
    internal CoseVerificationKey? Key { get; }

    /// <summary>Why <see cref="Key"/> is null.</summary>
    internal string? KeyProblem { get; }

    /// <summary>True when the certificate's own validity covers <paramref name="instant"/>.</summary>
    public bool IsValidAt(DateTimeOffset instant) => NotBefore <= instant && instant <= NotAfter;
}

/// <summary>
/// The CSCA verdict for a signer. The chain is built once, when the trust list is built, with time checks off; the
/// intersection of every chain element's validity is kept, and each verification checks its iat against it. That equals
/// building the chain with VerificationTime = iat, without a chain build per QR code.
/// </summary>
/// <param name="Required">False when no CSCA anchors were configured (then the chain is not checked).</param>
/// <param name="Chains">True when the chain to a CSCA of the signer's country was built.</param>
/// <param name="ValidFrom">Latest notBefore along the chain.</param>
/// <param name="ValidTo">Earliest notAfter along the chain.</param>
/// <param name="Problem">Why the chain failed, for diagnostics.</param>
public sealed record ChainVerdict(bool Required, bool Chains, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, string? Problem)
{
    /// <summary>No anchors configured: nothing to check.</summary>
    public static ChainVerdict NotRequired { get; } = new(false, true, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, null);

    /// <summary>True when no chain is required, or the chain holds and every element is valid at <paramref name="instant"/>.</summary>
    public bool HoldsAt(DateTimeOffset instant) => !Required || (Chains && ValidFrom <= instant && instant <= ValidTo);
}
