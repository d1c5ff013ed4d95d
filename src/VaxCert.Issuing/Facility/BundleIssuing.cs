using VaxCert.Core.Chain;

namespace VaxCert.Issuing.Facility;

/// <summary>The outcome of one bundle line at the ministry.</summary>
/// <param name="Line">1-based line number in the bundle.</param>
/// <param name="Entry">The parsed entry, null when the line was malformed.</param>
/// <param name="Result">The chain issuance result, null when the line was malformed.</param>
public sealed record BundleLineOutcome(long Line, BundleEntry? Entry, ChainIssuanceResult? Result)
{
    /// <summary>Issued.</summary>
    public bool Issued => Result?.Succeeded == true;

    /// <summary>Stable reason: "Issued", "MalformedLine", a FacilityCheck or an IssuanceFailure name.</summary>
    public string Reason => Result?.Reason ?? "MalformedLine";
}

/// <summary>Ministry side, local mode: every bundle line through <see cref="ChainIssuer"/>. Malformed lines are outcomes, not exceptions.</summary>
public sealed class BundleIssuing(ChainIssuer issuer)
{
    /// <summary>Issues each line of the bundle at <paramref name="path"/>, lazily.</summary>
    public IEnumerable<BundleLineOutcome> Issue(string path)
    {
        long line = 0;
        foreach (var text in File.ReadLines(path, System.Text.Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var entry = BundleEntry.TryParse(text);
            yield return entry is null
                ? new BundleLineOutcome(line, null, null)
                : new BundleLineOutcome(line, entry, issuer.Issue(entry.Record, entry.Attestation));
        }
    }
}
