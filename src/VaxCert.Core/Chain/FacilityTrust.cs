using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Chain;

/// <summary>
/// What the ministry and verifiers trust at the facility level: the facility CA(s), the known facility certificates (looked
/// up by kid) and the revoked ones (by serial number or kid). Thread-safe; what does not depend on time (chain, revocation,
/// validity bounds, facility code, verification key) is read once per certificate instance and cached (validity is checked
/// at the time asked, every time).
/// </summary>
public sealed class FacilityTrust
{
    private readonly X509Certificate2Collection _anchors;
    private readonly Dictionary<string, X509Certificate2> _byKid;
    private readonly HashSet<string> _revoked;
    private readonly ConditionalWeakTable<X509Certificate2, CertificateFacts> _facts = new();

    /// <param name="facilityCas">The facility CA certificates (roots of the facility hierarchy).</param>
    /// <param name="facilityCertificates">Known facility certificates.</param>
    /// <param name="revoked">Revoked facility certificates: serial numbers in hex or kids in base64.</param>
    public FacilityTrust(IEnumerable<X509Certificate2> facilityCas, IEnumerable<X509Certificate2> facilityCertificates,
        IEnumerable<string>? revoked = null)
    {
        _anchors = new X509Certificate2Collection(facilityCas.ToArray());
        if (_anchors.Count == 0) throw new ArgumentException("At least one facility CA is required.", nameof(facilityCas));
        _byKid = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        foreach (var cert in facilityCertificates)
            _byKid[Convert.ToBase64String(KeyIdentifier.For(cert))] = cert;
        _revoked = new HashSet<string>((revoked ?? []).Select(Normalize), StringComparer.Ordinal);
    }

    /// <summary>
    /// Loads a folder laid out like keys-dev: facility-ca.crt.pem, facilities/*.crt.pem and an optional facility-revoked.txt.
    /// </summary>
    public static FacilityTrust LoadDirectory(string directory)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, DevPkiLayout.FacilityCaCertificate));
        var folder = Path.Combine(directory, DevPkiLayout.FacilitiesFolder);
        var certs = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.crt.pem").Order(StringComparer.Ordinal).Select(X509CertificateLoader.LoadCertificateFromFile).ToList()
            : [];
        var revokedPath = Path.Combine(directory, DevPkiLayout.FacilityRevocationList);
        return new FacilityTrust([ca], certs, File.Exists(revokedPath) ? ReadRevocationList(revokedPath) : []);
    }

    /// <summary>Reads a revocation list: one serial (hex) or kid (base64) per line; blank lines and '#' comments ignored.</summary>
    public static IReadOnlyList<string> ReadRevocationList(string path) =>
        File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>The known facility certificate with this kid, or null.</summary>
    public X509Certificate2? Find(ReadOnlySpan<byte> keyId) =>
        _byKid.GetValueOrDefault(Convert.ToBase64String(keyId));

    /// <summary>A copy of this trust with more revoked entries (serial hex or kid base64).</summary>
    public FacilityTrust WithRevoked(params string[] entries) =>
        new(_anchors, _byKid.Values, _revoked.Concat(entries));

    /// <summary>Chain to a facility CA, then revocation, then validity at <paramref name="at"/>.</summary>
    public FacilityCheck CheckCertificate(X509Certificate2 certificate, DateTimeOffset at) => Check(FactsOf(certificate), at);

    internal static FacilityCheck Check(CertificateFacts facts, DateTimeOffset at)
    {
        if (!facts.ChainsToAnchor) return FacilityCheck.CertificateFromAnotherCa;
        if (facts.Revoked) return FacilityCheck.FacilityCertificateRevoked;
        if (at < facts.NotBefore || at > facts.NotAfter) return FacilityCheck.FacilityCertificateExpired;
        return FacilityCheck.Valid;
    }

    /// <summary>
    /// The time-independent facts of <paramref name="certificate"/>, read once per instance: an X509Certificate2 and this
    /// trust never change, and re-reading them per co-signature (thumbprint, serial, kid, subject parse, public key import
    /// and its curve export) cost as much as the ECDSA verification itself.
    /// </summary>
    internal CertificateFacts FactsOf(X509Certificate2 certificate) => _facts.GetValue(certificate, c => new CertificateFacts(
        ChainsToAnchor(c),
        _revoked.Contains(Normalize(c.SerialNumber)) || _revoked.Contains(Convert.ToBase64String(KeyIdentifier.For(c))),
        c.NotBefore.ToUniversalTime(), c.NotAfter.ToUniversalTime(), FacilityIdentity.FacilityCodeOf(c),
        CoseVerificationKey.FromCertificate(c, out _)));

    private bool ChainsToAnchor(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Time is checked by the caller at the instant that matters, not by the chain engine at "now".
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate) && chain.ChainElements.Count >= 2;
    }

    // Serial numbers compare as upper-case hex without separators; base64 kids are case-sensitive and pass unchanged.
    private static string Normalize(string entry)
    {
        var e = entry.Trim().Replace(":", "", StringComparison.Ordinal);
        return e.All(Uri.IsHexDigit) ? e.ToUpperInvariant() : e;
    }
}

/// <summary>A facility certificate as the co-signature check needs it (see <see cref="FacilityTrust.FactsOf"/>); the key,
/// shared by concurrent checks, only verifies, which is safe from several threads. Null key: outside the profile.</summary>
internal sealed record CertificateFacts(bool ChainsToAnchor, bool Revoked, DateTime NotBefore, DateTime NotAfter, string? FacilityCode,
    CoseVerificationKey? Key);
