using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Decoding;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Issuer-side revocation lists (issue 13): building, encoding and signing a list of 1,000,000 revoked certificates (three
/// hash types, four kids, VECTOR partitions) against sorting the same hashes in one flat array; and the per-certificate cost
/// of deriving the EU hashes from a stored HC1, against decoding the HC1 alone.
/// </summary>
public static class RevocationListScenarios
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<Scenario> All =>
    [
        new("revlist-build-1m", "Build + encode + sign a 1,000,000-certificate revocation list (3 hash types) vs Array.Sort of the same hashes; peak memory",
            Build1M),
        new("revlist-hc1-entries", "EU revocation hashes of one stored HC1 (RevocationEntries.FromHc1) vs Hc1Decoder.Decode alone", Hc1Entries),
    ];

    private static BenchResult Build1M(BenchContext context)
    {
        const int count = 1_000_000;
        var random = new Random(42);
        var kids = Enumerable.Range(0, 4).Select(i => new[] { (byte)i, 1, 2, 3, 4, 5, 6, 7 }.Select(b => (byte)b).ToArray()).ToArray();
        // The inputs as the builder sees them after HC1 decoding: kid + three 16-byte hashes, and an expiry.
        var certificates = new (RevocationEntries Entries, DateTimeOffset Expires)[count];
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[48];
            random.NextBytes(bytes);
            certificates[i] = (new RevocationEntries(kids[i % kids.Length], bytes[..16], bytes[16..32], bytes[32..]), Now.AddDays(1 + i % 365));
        }
        using var signer = SoftwareCoseSigner.FromCertificate(CreateDsc());
        var flat = new UInt128[3 * count];

        byte[]? signed = null;
        long retainedPeak = 0, allocated = 0;
        var builds = new List<double>();
        var sorts = new List<double>();
        var rounds = Math.Clamp((int)(context.Duration.TotalSeconds / 4), 2, 5);
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(true);
            var sw = Stopwatch.StartNew();
            var builder = new RevocationListBuilder();
            foreach (var (entries, expires) in certificates)
                builder.Add(entries, expires);
            var document = builder.Build(count, 0, Now);
            retainedPeak = Math.Max(retainedPeak, GC.GetTotalMemory(true) - before); // the built list (the builder keeps nothing after Build)
            signed = SignedRevocationList.SignAsync(document, signer).GetAwaiter().GetResult();
            builds.Add(sw.Elapsed.TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
            GC.KeepAlive(document);

            sw.Restart();
            var n = 0;
            foreach (var (entries, _) in certificates)
            {
                flat[n++] = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(entries.Uci);
                flat[n++] = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(entries.CountryCodeUci);
                flat[n++] = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(entries.Signature);
            }
            Array.Sort(flat);
            sorts.Add(sw.Elapsed.TotalSeconds);
        }
        builds.Sort();
        sorts.Sort();
        var opened = RevocationListReader.TryOpen(signed, [X509CertificateLoader.LoadCertificate(signer.Certificate.RawData)], out var failure)
                     ?? throw new InvalidOperationException("the benchmark list does not open: " + failure);
        var build = builds[builds.Count / 2];
        return new BenchResult("revlist-build-1m", 1 / build, "Array.Sort of the 3,000,000 hashes", 1 / sorts[sorts.Count / 2],
            new Dictionary<string, object>
            {
                ["certificates"] = count, ["entries"] = opened.EntryCount, ["partitions"] = opened.Partitions.Count,
                ["build_sign_s"] = build, ["signed_bytes"] = signed!.Length, ["bytes_per_entry_wire"] = (double)signed.Length / opened.EntryCount,
                ["list_mb"] = retainedPeak / 1e6, ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6, ["allocated_mb"] = allocated / 1e6,
            });
    }

    private static BenchResult Hc1Entries(BenchContext context)
    {
        using var signer = SoftwareCoseSigner.FromCertificate(CreateDsc());
        var hc1 = VerifierScenarios.IssueSample(signer);
        if (RevocationEntries.FromHc1(hc1, out _) is not { Uci: not null, CountryCodeUci: not null })
            throw new InvalidOperationException("the bench sample has no UCI");
        var (subject, baseline) = Measure.Paired(() => RevocationEntries.FromHc1(hc1, out _), () => Hc1Decoder.Decode(hc1), context.Duration);
        return new BenchResult("revlist-hc1-entries", subject, "Hc1Decoder.Decode", baseline,
            new Dictionary<string, object> { ["seconds_per_1m_certificates"] = 1_000_000 / subject });
    }

    private static X509Certificate2 CreateDsc()
    {
        var request = new CertificateRequest("CN=Bench revocation list signer, C=VN", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(2));
    }
}
