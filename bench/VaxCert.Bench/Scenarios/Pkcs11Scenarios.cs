using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Signatures per second through the PKCS#11 binding on a SoftHSM2 token key, with 1, 2 and 4 threads (one pooled session
/// each), beside a software key signing the same-size payload on as many threads in the same run. The tool creates its
/// own temporary SoftHSM2 store and token; it never touches the system store.
/// </summary>
public static class Pkcs11Scenarios
{
    private const int PayloadSize = 320; // about the Sig_structure of a one-dose DCC

    public static IEnumerable<Scenario> All =>
    [
        new("pkcs11-es256-1", "ES256 on a SoftHSM2 token key, 1 session/thread vs ECDsa.SignData", c => Sign(c, TokenKeyType.EcP256, 1)),
        new("pkcs11-es256-2", "ES256 on a SoftHSM2 token key, 2 sessions/threads vs ECDsa.SignData x2", c => Sign(c, TokenKeyType.EcP256, 2)),
        new("pkcs11-es256-4", "ES256 on a SoftHSM2 token key, 4 sessions/threads vs ECDsa.SignData x4", c => Sign(c, TokenKeyType.EcP256, 4)),
        new("pkcs11-ps256-1", "PS256 on a SoftHSM2 token key, 1 session/thread vs RSA.SignData PSS", c => Sign(c, TokenKeyType.Rsa2048, 1)),
        new("pkcs11-es256-async-8on2", "ES256 SignAsync, 8 async callers queued on 2 token sessions vs Sign from 8 threads on the same pool",
            SignAsyncQueued),
    ];

    private static readonly Lazy<BenchToken> Token = new(BenchToken.Create);

    private static BenchResult Sign(BenchContext context, TokenKeyType type, int threads)
    {
        var token = Token.Value;
        var label = type == TokenKeyType.EcP256 ? "bench-ec" : "bench-rsa";
        using var signer = Pkcs11CoseSigner.Open(new Pkcs11SignerOptions
        {
            ModulePath = token.ModulePath,
            Token = new TokenSelector(token.Label),
            Key = new KeySelector(label),
            Pin = PinSource.FromBytes(token.UserPin),
            PoolSize = threads,
        });
        var payload = RandomNumberGenerator.GetBytes(PayloadSize);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        Action software = type == TokenKeyType.EcP256
            ? () => ec.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : () => rsa.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var (subject, baseline) = PairedParallel(() => signer.Sign(payload), software, threads, context.Duration);
        var name = $"pkcs11-{(type == TokenKeyType.EcP256 ? "es256" : "ps256")}-{threads}";
        return new BenchResult(name, subject,
            $"{(type == TokenKeyType.EcP256 ? "ECDsa.SignData P-256" : "RSA.SignData PSS 2048")} software key, {threads} thread(s), same-size payload",
            baseline, new Dictionary<string, object>
            {
                ["threads"] = threads, ["sessions"] = threads, ["payload_bytes"] = PayloadSize,
                ["module"] = "SoftHSM2 token object (CKA_TOKEN=true)", ["recoveries"] = signer.Recoveries,
            });
    }

    /// <summary>
    /// The async seam under contention: 8 callers awaiting <c>SignAsync</c> on a pool of 2 sessions (they queue without
    /// holding threads) against 8 threads blocking in <c>Sign</c> on the same signer, alternating rounds.
    /// </summary>
    private static BenchResult SignAsyncQueued(BenchContext context)
    {
        const int callers = 8, sessions = 2;
        var token = Token.Value;
        using var signer = Pkcs11CoseSigner.Open(new Pkcs11SignerOptions
        {
            ModulePath = token.ModulePath,
            Token = new TokenSelector(token.Label),
            Key = new KeySelector("bench-ec"),
            Pin = PinSource.FromBytes(token.UserPin),
            PoolSize = sessions,
        });
        var payload = RandomNumberGenerator.GetBytes(PayloadSize);
        const int rounds = 4;
        var perRound = context.Duration / (2 * rounds);
        var subject = new List<double>();
        var baseline = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            subject.Add(AsyncRate(() => signer.SignAsync(payload), callers, perRound));
            baseline.Add(ParallelRate(() => signer.Sign(payload), callers, perRound));
        }
        subject.Sort(); baseline.Sort();
        return new BenchResult("pkcs11-es256-async-8on2", subject[rounds / 2],
            $"Sign from {callers} threads on the same {sessions}-session pool", baseline[rounds / 2],
            new Dictionary<string, object>
            {
                ["callers"] = callers, ["sessions"] = sessions, ["payload_bytes"] = PayloadSize, ["recoveries"] = signer.Recoveries,
            });
    }

    private static double AsyncRate(Func<ValueTask<byte[]>> op, int callers, TimeSpan span)
    {
        long total = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            long n = 0;
            while (clock.Elapsed < span) { await op(); n++; }
            Interlocked.Add(ref total, n);
        })).ToArray();
        Task.WaitAll(workers);
        return total / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Total ops/s of <paramref name="threads"/> threads, subject and baseline in alternating rounds; medians.</summary>
    private static (double Subject, double Baseline) PairedParallel(Action subject, Action baseline, int threads, TimeSpan duration, int rounds = 4)
    {
        var perRound = duration / (2 * rounds);
        for (var i = 0; i < 20; i++) { subject(); baseline(); }
        var s = new List<double>();
        var b = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            s.Add(ParallelRate(subject, threads, perRound));
            b.Add(ParallelRate(baseline, threads, perRound));
        }
        s.Sort(); b.Sort();
        return (s[rounds / 2], b[rounds / 2]);
    }

    private static double ParallelRate(Action op, int threads, TimeSpan span)
    {
        long total = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            long n = 0;
            while (clock.Elapsed < span) { op(); n++; }
            Interlocked.Add(ref total, n);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return total / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A throwaway SoftHSM2 store in a temp folder with one token holding an EC and an RSA key.</summary>
    private sealed record BenchToken(string ModulePath, string Label, byte[] UserPin)
    {
        public static BenchToken Create()
        {
            var modulePath = Pkcs11Module.ResolvePath(null);
            if (!File.Exists(modulePath))
                throw new InvalidOperationException($"SoftHSM2 module not found at {modulePath}; install softhsm2 or set {Pkcs11Module.ModulePathVariable}.");
            var directory = Path.Combine(Path.GetTempPath(), "vaxcert-bench-softhsm-" + Guid.NewGuid().ToString("N"));
            SoftHsmTokens.UseConfig(SoftHsmTokens.WriteConfig(directory));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(directory, true); } catch (IOException) { } };
            var label = "vaxcert-bench";
            var userPin = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            var soPin = RandomNumberGenerator.GetBytes(8);
            using var module = Pkcs11Module.Load(modulePath);
            var token = SoftHsmTokens.CreateToken(module, label, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(soPin)), userPin);
            DevKeyProvisioner.Provision(module, token, userPin, TokenKeyType.EcP256, "bench-ec", [1], "CN=bench EC", null);
            DevKeyProvisioner.Provision(module, token, userPin, TokenKeyType.Rsa2048, "bench-rsa", [2], "CN=bench RSA", null);
            return new BenchToken(modulePath, label, userPin);
        }
    }
}
