using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Bundle;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Rules;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Bundle;

/// <summary>
/// A loaded, signature-checked offline trust bundle: the DSC trust list, the facility trust, the EU-format revocation
/// lists, the value sets and the business rules of one signed file, and everything a border or airline app needs to work
/// offline for hours. Immutable and thread-safe; <see cref="ApplyUpdate"/> returns a new bundle and leaves this one as it
/// is, so an app swaps its verifier only when an update was accepted.
/// </summary>
public sealed class TrustBundle
{
    private readonly IReadOnlyList<X509Certificate2> _anchors;
    private readonly TrustBundleLoadOptions _options;

    internal TrustBundle(TrustBundleContent content, IReadOnlyList<X509Certificate2> anchors, TrustBundleLoadOptions options,
        string signerSubject, TrustList trustList, FacilityTrust? facilityTrust, PartitionedRevocationList revocations,
        int revokedHashes, ValueSets valueSets, IReadOnlyList<BusinessRule> rules)
    {
        Content = content;
        _anchors = anchors;
        _options = options;
        SignerSubject = signerSubject;
        TrustList = trustList;
        FacilityTrust = facilityTrust;
        Revocations = revocations;
        RevokedHashCount = revokedHashes;
        ValueSets = valueSets;
        Rules = rules;
    }

    /// <summary>The signed content as read (a delta already applied), e.g. to compute the next delta against.</summary>
    public TrustBundleContent Content { get; }

    /// <summary>The bundle's sequence number; updates must be newer.</summary>
    public long Sequence => Content.Sequence;

    /// <summary>The issuing country.</summary>
    public string Issuer => Content.Issuer;

    /// <summary>When it was built.</summary>
    public DateTimeOffset IssuedAt => Content.IssuedAt;

    /// <summary>When it goes stale: after it, verifiers built on it answer Indeterminate (<see cref="ReasonCode.TrustListExpired"/>).</summary>
    public DateTimeOffset ExpiresAt => Content.ExpiresAt;

    /// <summary>The subject of the certificate that signed it (the last full bundle or update).</summary>
    public string SignerSubject { get; }

    /// <summary>The document signers, with <see cref="TrustList.ExpiresAt"/> set to the bundle's expiry.</summary>
    public TrustList TrustList { get; }

    /// <summary>The facility trust (facility CAs, known and revoked facility certificates); null when the bundle has no facility CA.</summary>
    public FacilityTrust? FacilityTrust { get; }

    /// <summary>The revocation lists of issued certificates.</summary>
    public PartitionedRevocationList Revocations { get; }

    /// <summary>How many revocation hashes the bundle carries (all types and partitions).</summary>
    public int RevokedHashCount { get; }

    /// <summary>The value sets: the shipped ones with the bundle's replacing them by id (display names included).</summary>
    public ValueSets ValueSets { get; }

    /// <summary>The business rules.</summary>
    public IReadOnlyList<BusinessRule> Rules { get; }

    /// <summary>How old the bundle is at <paramref name="now"/>.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => now - IssuedAt;

    /// <summary>True when the bundle is past its expiry at <paramref name="now"/> (no clock skew).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now > ExpiresAt;

    /// <summary>
    /// A verifier over this bundle: its trust list (with the bundle's expiry), its value sets, the revocation check and,
    /// when the bundle has facility trust, the facility co-signature check, followed by any additional checks in
    /// <paramref name="options"/>.
    /// </summary>
    /// <param name="options">Clock, skew, schema... (the defaults when null); its ValueSets is replaced by the bundle's.</param>
    /// <param name="requireCoSignature">A QR without facility co-signature is invalid (only with facility trust).</param>
    public CertificateVerifier CreateVerifier(VerifierOptions? options = null, bool requireCoSignature = false)
    {
        var o = options ?? VerifierOptions.Default;
        var checks = new List<IAdditionalCheck> { new PartitionedRevocationCheck(Revocations) };
        if (FacilityTrust is { } facility) checks.Add(new FacilityCoSignatureCheck(new FacilityAttestationVerifier(facility), requireCoSignature));
        checks.AddRange(o.AdditionalChecks);
        return new CertificateVerifier(TrustList, o with { ValueSets = ValueSets, AdditionalChecks = checks });
    }

    /// <summary>A business-rule engine over the bundle's rules and value sets.</summary>
    public BusinessRuleEngine CreateRuleEngine(CertLogicLimits? limits = null) => new(Rules, ValueSets, limits);

    /// <summary>
    /// Applies an update: a delta whose base is this bundle's sequence, or a newer full bundle. The update must be signed
    /// under the same pinned anchors and be fresh. Never throws on hostile bytes; a refused update leaves this bundle as it was.
    /// </summary>
    public TrustBundleLoadResult ApplyUpdate(ReadOnlyMemory<byte> update) => TrustBundleLoader.Open(update, _anchors, _options, this);
}
