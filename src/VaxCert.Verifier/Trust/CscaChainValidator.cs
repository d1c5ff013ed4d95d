using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Verifier.Trust;

/// <summary>Builds a signer's chain to the CSCA anchors of its country (custom trust store, no revocation, no downloads).</summary>
internal sealed class CscaChainValidator
{
    private readonly Dictionary<string, X509Certificate2Collection> _anchorsByCountry;

    public CscaChainValidator(IEnumerable<X509Certificate2> anchors)
    {
        _anchorsByCountry = new Dictionary<string, X509Certificate2Collection>(StringComparer.OrdinalIgnoreCase);
        foreach (var anchor in anchors)
        {
            var country = CountryOf(anchor) ?? "";
            if (!_anchorsByCountry.TryGetValue(country, out var set))
                _anchorsByCountry[country] = set = [];
            set.Add(anchor);
        }
    }

    public ChainVerdict Evaluate(X509Certificate2 signer, string country)
    {
        if (!_anchorsByCountry.TryGetValue(country, out var anchors))
            return Fail($"no CSCA anchor for country '{country}'");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Time is checked per verification against iat (see ChainVerdict), so the build itself ignores it.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        if (!chain.Build(signer))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return Fail("chain to the CSCA does not build: " + status);
        }
        var from = DateTimeOffset.MinValue;
        var to = DateTimeOffset.MaxValue;
        foreach (var element in chain.ChainElements)
        {
            var nb = new DateTimeOffset(element.Certificate.NotBefore.ToUniversalTime());
            var na = new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime());
            if (nb > from) from = nb;
            if (na < to) to = na;
        }
        return new ChainVerdict(true, true, from, to, null);
    }

    private static ChainVerdict Fail(string problem) => new(true, false, DateTimeOffset.MinValue, DateTimeOffset.MinValue, problem);

    internal static string? CountryOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            if (rdn.GetSingleElementType().Value == "2.5.4.6")
                return rdn.GetSingleElementValue();
        return null;
    }
}
