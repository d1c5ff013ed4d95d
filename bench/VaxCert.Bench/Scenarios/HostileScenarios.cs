using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;
using VaxCert.Verifier;
using VaxCert.Verifier.Trust;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The larger run of issue 12's hostile-content generator (the test suite runs 20,000 cases with a JsonSchema.Net oracle):
/// validly signed hostile DCCs and forgeries through CertificateVerifier.Verify. Counts per outcome, escapes, Indeterminate answers,
/// Valid answers for content invalid by construction, forgeries not refused, and the slowest single Verify. The rate is
/// Verify alone on hostile cases against Verify of the honest sample, so a content stage that is not linear shows up
/// as a ratio far above 1 and a large max_verify_ms.
/// </summary>
internal static class HostileScenarios
{
    public const int Cases = 200_000;

    public static BenchResult Run(BenchContext context, DateTimeOffset now, Func<CoseAlgorithm, string, X509Certificate2> createDsc)
    {
        using var dsc = createDsc(CoseAlgorithm.ES256, "Hostile DSC");
        using var stranger = createDsc(CoseAlgorithm.ES256, "Stranger DSC");
        using var signer = SoftwareCoseSigner.FromCertificate(dsc);
        using var untrusted = SoftwareCoseSigner.FromCertificate(stranger);
        var verifier = new Verifier.CertificateVerifier(TrustList.Create([X509CertificateLoader.LoadCertificate(dsc.RawData)], now),
            new VerifierOptions { Time = new FixedClock(now) });
        var generator = new HostileDccGenerator(signer, untrusted, now, seed: 12);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int escaped = 0, indeterminate = 0, falseValid = 0, forgeriesNotInvalid = 0, valid = 0;
        var verifyTicks = 0L;
        var maxTicks = 0L;
        for (var i = 0; i < Cases; i++)
        {
            var c = generator.Next();
            var start = Stopwatch.GetTimestamp();
            VerificationResult result;
            try { result = verifier.Verify(c.Hc1); }
            catch (Exception) { escaped++; continue; }
            var ticks = Stopwatch.GetTimestamp() - start;
            verifyTicks += ticks;
            maxTicks = Math.Max(maxTicks, ticks);
            var key = $"{result.Outcome}/{(int)result.Reason} {result.Reason}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (result.Outcome == VerificationOutcome.Indeterminate) indeterminate++;
            if (result.IsValid) valid++;
            if (result.IsValid && (c.KnownInvalid || c.NotJson)) falseValid++;
            if (c.SignatureBroken && result.Outcome != VerificationOutcome.Invalid) forgeriesNotInvalid++;
        }
        var hostileRate = (Cases - escaped) / (verifyTicks / (double)Stopwatch.Frequency);
        var honest = VerifierScenarios.IssueSample(signer);
        var honestRate = Measure.OpsPerSecond(() => verifier.Verify(honest), context.Duration);
        var extra = new Dictionary<string, object>
        {
            ["cases"] = Cases, ["valid"] = valid, ["escaped_exceptions"] = escaped, ["indeterminate"] = indeterminate,
            ["false_valid"] = falseValid, ["forgeries_not_invalid"] = forgeriesNotInvalid,
            ["max_verify_ms"] = Math.Round(maxTicks * 1000.0 / Stopwatch.Frequency, 3),
        };
        foreach (var (k, v) in counts) extra["count " + k] = v;
        return new BenchResult("verify-hostile", hostileRate, "Verify of the honest sample", honestRate, extra);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
