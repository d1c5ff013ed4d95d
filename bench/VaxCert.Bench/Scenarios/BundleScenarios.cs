using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Bundle;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Bundle;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Bundle;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// What a verifier app pays when an update arrives (issue 13): opening a signed revocation list of 1,000,000 revoked
/// certificates (signature, decode, every partition checked, the in-memory partitioned list), and loading a signed offline
/// trust bundle carrying the same revocations (chain to the pinned anchor, signature, decode, trust list, value sets,
/// revocations). Baseline in the same process: SHA-256 over the same bytes, the least any signature check must do.
/// </summary>
public static class BundleScenarios
{
    private const int Certificates = 1_000_000;

    public static IEnumerable<Scenario> All =>
    [
        new("revlist-open-1m", "Open a signed 1,000,000-certificate revocation list (verify, decode, partitioned list) vs SHA-256 of its bytes", OpenList),
        new("bundle-load-1m", "Load a signed trust bundle with 1,000,000 revoked certificates (anchor chain, signature, decode) vs SHA-256 of its bytes", LoadBundle),
    ];

    private static BenchResult OpenList(BenchContext context)
    {
        using var signer = DscSigner();
        var signed = SignedRevocationList.SignAsync(Document(signer.KeyId.ToArray()), signer).GetAwaiter().GetResult();
        X509Certificate2[] trusted = [X509CertificateLoader.LoadCertificate(signer.Certificate.RawData)];
        PartitionedRevocationList? kept = null;
        var (open, hash) = Rounds(context, () =>
        {
            var document = RevocationListReader.TryOpen(signed, trusted, out var failure) ?? throw new InvalidOperationException("list refused: " + failure);
            kept = document.ToPartitionedList();
        }, () => SHA256.HashData(signed));
        return new BenchResult("revlist-open-1m", 1 / open, "SHA-256 of the same bytes", 1 / hash, new Dictionary<string, object>
        {
            ["certificates"] = Certificates, ["signed_bytes"] = signed.Length, ["open_s"] = open,
            ["partitions"] = kept!.Partitions.Count(), ["retained_mb"] = Retained(() => RevocationListReader.TryOpen(signed, trusted, out _)!.ToPartitionedList()),
            ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,
        });
    }

    private static BenchResult LoadBundle(BenchContext context)
    {
        var keys = FindKeysDev();
        using var dsc = DscSigner(keys);
        using var bundleSigner = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.BundleSignerCertificate),
            Path.Combine(keys, DevPkiLayout.BundleSignerKey));
        var anchors = TrustBundleLoader.ReadAnchors(Path.Combine(keys, DevPkiLayout.CscaCertificate));
        var now = DateTimeOffset.UtcNow;
        var document = Document(dsc.KeyId.ToArray());
        var content = new TrustBundleContent
        {
            Sequence = now.ToUnixTimeSeconds(), IssuedAt = now, ExpiresAt = now.AddHours(48),
            Signers = [new BundleSigner(dsc.Certificate.RawData, "VN")],
            Revocations = new BundleRevocations().AddAll(document).Build(),
        };
        var bytes = TrustBundleBuilder.Sign(content, bundleSigner);
        TrustBundle? kept = null;
        var (load, hash) = Rounds(context, () =>
        {
            var result = TrustBundleLoader.Load(bytes, anchors);
            kept = result.Succeeded ? result.Bundle : throw new InvalidOperationException("bundle refused: " + result.Failure);
        }, () => SHA256.HashData(bytes));
        return new BenchResult("bundle-load-1m", 1 / load, "SHA-256 of the same bytes", 1 / hash, new Dictionary<string, object>
        {
            ["certificates"] = Certificates, ["revocation_hashes"] = kept!.RevokedHashCount, ["bundle_bytes"] = bytes.Length, ["load_s"] = load,
            ["retained_mb"] = Retained(() => TrustBundleLoader.Load(bytes, anchors).Bundle),
            ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,
        });
    }

    // Managed memory the loaded object keeps alive (what an app holds after the update), in MB.
    private static double Retained(Func<object?> load)
    {
        var before = GC.GetTotalMemory(true);
        var loaded = load();
        var after = GC.GetTotalMemory(true);
        GC.KeepAlive(loaded);
        return Math.Round((after - before) / 1e6, 1);
    }

    // Median seconds of each over a few alternating rounds (each operation takes long enough to time alone).
    private static (double Subject, double Baseline) Rounds(BenchContext context, Action subject, Action baseline)
    {
        var rounds = Math.Clamp((int)(context.Duration.TotalSeconds / 2), 3, 7);
        var s = new List<double>();
        var b = new List<double>();
        subject();
        baseline();
        for (var i = 0; i < rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            subject();
            s.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            baseline();
            b.Add(sw.Elapsed.TotalSeconds);
        }
        s.Sort();
        b.Sort();
        return (s[s.Count / 2], b[b.Count / 2]);
    }

    // 1,000,000 revoked certificates of one DSC: three random 16-byte hashes each (as RevocationEntries gives after decoding).
    private static RevocationListDocument Document(byte[] kid)
    {
        var random = new Random(42);
        var builder = new RevocationListBuilder();
        var expires = DateTimeOffset.UtcNow.AddMonths(6);
        var bytes = new byte[48];
        for (var i = 0; i < Certificates; i++)
        {
            random.NextBytes(bytes);
            builder.Add(new RevocationEntries(kid, bytes[..16], bytes[16..32], bytes[32..]), expires.AddMinutes(i % 10_000));
        }
        return builder.Build(Certificates, 0, DateTimeOffset.UtcNow);
    }

    private static SoftwareCoseSigner DscSigner(string? keys = null)
    {
        keys ??= FindKeysDev();
        return SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.DscEs256Certificate), Path.Combine(keys, DevPkiLayout.DscEs256Key));
    }

    private static string FindKeysDev()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "keys-dev", DevPkiLayout.BundleSignerCertificate)))
                return Path.Combine(d.FullName, "keys-dev");
        throw new InvalidOperationException("keys-dev/ not found above " + AppContext.BaseDirectory);
    }
}
