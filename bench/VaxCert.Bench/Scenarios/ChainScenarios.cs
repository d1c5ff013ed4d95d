using System.Diagnostics;
using System.Security.Cryptography;
using VaxCert.Core.Chain;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;
using VaxCert.Issuing.Facility;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The two-level chain on a fixed workload: a generated export (<see cref="SyntheticExport"/>) through facility signing
/// (row checks, DCC encoding, ES256 co-signature with the dev HN001 software key, fsync'd bundle batches) and then through
/// ministry issuance (facility check incl. signature verification, ES256 DSC signature, zlib, Base45), each step timed
/// once over all rows. Baseline in the same run: bare ES256 signatures per second with the same facility key.
/// ops_per_s is rows/s through both steps; ratio = cost of one row in bare signatures.
/// </summary>
public static class ChainScenarios
{
    public static IEnumerable<Scenario> All =>
    [
        new("facility-chain-100k", "100,000-row export: facility sign + ministry issue (software keys), rows/s vs bare ES256 signatures/s",
            c => Chain(c, 100_000), RunByDefault: false),
        new("facility-chain-10k", "10,000-row export, same steps as facility-chain-100k (quick run)", c => Chain(c, 10_000)),
    ];

    private static BenchResult Chain(BenchContext context, int rows)
    {
        var keys = FindKeysDev();
        var dir = Path.Combine(Path.GetTempPath(), "vaxcert-bench-chain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var export = Path.Combine(dir, "export.csv");
            SyntheticExport.WriteCsv(export, rows);
            var bundle = Path.Combine(dir, "bundle.jsonl");
            using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.FacilityCertificate("HN001")),
                Path.Combine(keys, DevPkiLayout.FacilityKey("HN001")));
            using var dsc = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.DscEs256Certificate),
                Path.Combine(keys, DevPkiLayout.DscEs256Key));

            var signClock = Stopwatch.StartNew();
            var summary = SignAll(export, bundle, facility);
            signClock.Stop();

            var issuer = new ChainIssuer(Hc1Issuer.Create(dsc), new FacilityAttestationVerifier(FacilityTrust.LoadDirectory(keys)));
            var issueClock = Stopwatch.StartNew();
            long issued = 0, refused = 0;
            foreach (var outcome in new BundleIssuing(issuer).Issue(bundle))
                if (outcome.Issued) issued++; else refused++;
            issueClock.Stop();
            if (summary.Signed != rows || issued != rows)
                throw new InvalidOperationException($"the workload must go through whole: signed {summary.Signed}, issued {issued}, refused {refused} of {rows}");

            var payload = RandomNumberGenerator.GetBytes(320); // about one Sig_structure
            var bare = Measure.OpsPerSecond(() => facility.Sign(payload), context.Duration);
            var signRate = rows / signClock.Elapsed.TotalSeconds;
            var issueRate = rows / issueClock.Elapsed.TotalSeconds;
            return new BenchResult($"facility-chain-{rows / 1000}k", rows / (signClock.Elapsed + issueClock.Elapsed).TotalSeconds,
                "bare ES256 signature (SoftwareCoseSigner.Sign, 320 bytes, HN001 dev key), 1 thread", bare,
                new Dictionary<string, object>
                {
                    ["rows"] = rows,
                    ["sign_rows_per_s"] = signRate,
                    ["issue_rows_per_s"] = issueRate,
                    ["sign_seconds"] = signClock.Elapsed.TotalSeconds,
                    ["issue_seconds"] = issueClock.Elapsed.TotalSeconds,
                    ["bundle_bytes"] = new FileInfo(bundle).Length,
                });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // What `vaxcert facility sign` does, without the console.
    private static SigningSummary SignAll(string export, string bundle, ICoseSigner facility)
    {
        var rows = ExportReader.Read(export).ToList();
        using var journal = BundleJournal.Open(bundle);
        var settings = IssuerSettings.Default;
        var checker = new RowChecker("HN001", RecordValidator.CreateDefault(), new DeterministicUvci(settings.Country));
        return new FacilitySigningRun(facility, "HN001", checker, settings).Run(rows, journal);
    }

    private static string FindKeysDev()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "keys-dev", DevPkiLayout.FacilityCaCertificate)))
                return Path.Combine(d.FullName, "keys-dev");
        throw new InvalidOperationException("keys-dev/ not found above " + AppContext.BaseDirectory);
    }
}
