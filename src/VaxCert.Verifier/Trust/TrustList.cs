using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Verifier.Trust;

/// <summary>One candidate for a trust list: a DER certificate and, when the source says so, its country.</summary>
/// <param name="Der">The certificate bytes.</param>
/// <param name="Country">The source's country; the subject's C is used when null.</param>
/// <param name="Source">Where it came from, for load problems (file name, JSON index).</param>
/// <param name="DeclaredKeyId">The kid the source declares (EU gateway JSON), checked against the computed one.</param>
public sealed record TrustListCandidate(byte[] Der, string? Country, string Source, byte[]? DeclaredKeyId = null);

/// <summary>
/// An immutable snapshot of trusted signer certificates, indexed by kid (several per kid: collisions are tried in turn).
/// Building never throws for bad entries: an unparsable certificate is skipped and listed in <see cref="Problems"/>, so it
/// cannot block the valid ones. Public keys are parsed once here, never per verification.
/// </summary>
public sealed class TrustList
{
    private static readonly TrustedSigner[] NoSigners = [];
    private readonly FrozenDictionary<ulong, TrustedSigner[]> _byKid;

    private TrustList(IReadOnlyList<TrustedSigner> signers, IReadOnlyList<(byte[] Kid, TrustedSigner Signer)> aliases,
        IReadOnlyList<string> problems, DateTimeOffset issuedAt, DateTimeOffset? expiresAt = null)
    {
        ExpiresAt = expiresAt;
        Signers = signers;
        Problems = problems;
        IssuedAt = issuedAt;
        _aliases = aliases;
        // Indexed by the computed kid and, for gateway entries, by a declared kid that differs: the kid is only a hint,
        // the signature decides, so an extra index entry can never make a forgery pass.
        _byKid = signers.Select(s => (Kid: s.KeyId, Signer: s)).Concat(aliases)
            .GroupBy(p => BinaryPrimitives.ReadUInt64BigEndian(p.Kid), p => p.Signer)
            .ToFrozenDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    private readonly IReadOnlyList<(byte[] Kid, TrustedSigner Signer)> _aliases;

    /// <summary>When the trust material was issued or last refreshed; compared with MaxTrustListAge.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>
    /// When the trust material's signer says it goes stale (an offline trust bundle's expiry); null when it does not say.
    /// After it, verifiers answer Indeterminate (<see cref="ReasonCode.TrustListExpired"/>) where they would answer Valid.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>All usable signers.</summary>
    public IReadOnlyList<TrustedSigner> Signers { get; }

    /// <summary>Entries that were skipped or flagged while building, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The signers with this kid (empty for an unknown kid or one that is not 8 bytes).</summary>
    public IReadOnlyList<TrustedSigner> Find(ReadOnlySpan<byte> keyId) => FindArray(keyId);

    internal TrustedSigner[] FindArray(ReadOnlySpan<byte> keyId)
        => keyId.Length == 8 && _byKid.TryGetValue(BinaryPrimitives.ReadUInt64BigEndian(keyId), out var list) ? list : NoSigners;

    /// <summary>The same snapshot with more load problems noted (used by loaders for entries they skipped).</summary>
    internal TrustList WithExtraProblems(IEnumerable<string> extra) => new(Signers, _aliases, Problems.Concat(extra).ToList(), IssuedAt, ExpiresAt);

    /// <summary>The same snapshot with an expiry (set by the trust-bundle loader from the signed bundle).</summary>
    internal TrustList WithExpiry(DateTimeOffset expiresAt) => new(Signers, _aliases, Problems, IssuedAt, expiresAt);

    /// <summary>Builds a snapshot from certificates (already loaded).</summary>
    public static TrustList Create(IEnumerable<X509Certificate2> certificates, DateTimeOffset issuedAt,
        IEnumerable<X509Certificate2>? cscaAnchors = null)
        => Create(certificates.Select((c, i) => new TrustListCandidate(c.RawData, null, $"certificate #{i}")), issuedAt, cscaAnchors);

    /// <summary>
    /// Builds a snapshot. With <paramref name="cscaAnchors"/>, every signer must chain to a CSCA of its own country; the
    /// verdict is kept per signer (a failing signer stays listed so the answer names the chain, not an unknown kid).
    /// </summary>
    public static TrustList Create(IEnumerable<TrustListCandidate> candidates, DateTimeOffset issuedAt,
        IEnumerable<X509Certificate2>? cscaAnchors = null)
    {
        var chain = cscaAnchors is null ? null : new CscaChainValidator(cscaAnchors);
        var signers = new List<TrustedSigner>();
        var aliases = new List<(byte[] Kid, TrustedSigner Signer)>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(candidate.Der);
            }
            catch (CryptographicException e)
            {
                problems.Add($"{candidate.Source}: not a readable X.509 certificate ({e.Message})");
                continue;
            }
            if (!seen.Add(Convert.ToHexString(SHA256.HashData(candidate.Der))))
                continue; // the same certificate twice adds nothing
            if (!KeyUsageReader.TryRead(certificate, out var allowed))
                problems.Add($"{candidate.Source}: extended key usage cannot be parsed; the signer may sign no type");
            var country = candidate.Country ?? CscaChainValidator.CountryOf(certificate) ?? "";
            var verdict = chain?.Evaluate(certificate, country) ?? ChainVerdict.NotRequired;
            if (verdict.Problem is not null)
                problems.Add($"{candidate.Source}: {verdict.Problem}");
            TrustedSigner signer;
            try
            {
                signer = new TrustedSigner(certificate, country, allowed, verdict);
            }
            catch (CryptographicException e)
            {
                problems.Add($"{candidate.Source}: public key cannot be read ({e.Message}); skipped");
                continue;
            }
            if (signer.Key is null)
            {
                // Kept, so its kid answers SignatureInvalid (a known signer whose key is outside the profile), not KidUnknown.
                problems.Add($"{candidate.Source}: {signer.KeyProblem}; no signature will verify with it");
            }
            if (candidate.DeclaredKeyId is { Length: 8 } declared && !declared.AsSpan().SequenceEqual(signer.KeyId))
            {
                problems.Add($"{candidate.Source}: declared kid {Convert.ToBase64String(declared)} differs from the computed one; indexed by both");
                aliases.Add((declared, signer));
            }
            signers.Add(signer);
        }
        return new TrustList(signers, aliases, problems, issuedAt);
    }
}
