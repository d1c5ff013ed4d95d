using System.Collections.Concurrent;
using System.Text;
using Net.Pkcs11Interop.Common;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>Many threads on one signer, and sessions destroyed underneath it.</summary>
public class ConcurrencyAndRecoveryTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Fact]
    public void Eight_threads_sign_thousands_of_messages_and_every_signature_verifies()
    {
        hsm.ProvisionEc("concurrent-key", 0x21);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("concurrent-key", poolSize: 4));
        const int threads = 8, perThread = 400;
        var results = new ConcurrentBag<(byte[] Data, byte[] Signature)>();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var data = Encoding.UTF8.GetBytes($"thread {t} message {i}");
                results.Add((data, signer.Sign(data)));
            }
        });
        Assert.Equal(threads * perThread, results.Count);
        Assert.Equal(threads * perThread, results.Select(r => Encoding.UTF8.GetString(r.Data)).Distinct().Count());
        Assert.All(results, r => Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, r.Data, r.Signature)));
        Assert.Equal(0, signer.Recoveries);
    }

    [Fact]
    public void Signing_resumes_after_all_sessions_are_closed_from_another_handle()
    {
        hsm.ProvisionEc("closed-key", 0x22);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("closed-key"));
        signer.Sign([1]);

        using (var other = Pkcs11Module.Load(hsm.ModulePath))
            other.CloseAllSessions(signer.Token.SlotId); // also logs the token out for the whole process

        var data = "after the sessions were closed"u8.ToArray();
        Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, data, signer.Sign(data)));
        Assert.True(signer.Recoveries >= 1);
    }

    [Fact]
    public void Concurrent_signers_all_recover_when_sessions_are_lost_between_rounds()
    {
        // Sessions are killed between rounds, not during a C_Sign: SoftHSM crashes (use-after-free) when
        // C_CloseAllSessions races an in-flight operation, which a real device removal does not do to the caller.
        hsm.ProvisionRsa("churn-key", 0x23);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("churn-key", poolSize: 2));
        using var other = Pkcs11Module.Load(hsm.ModulePath);
        var results = new ConcurrentBag<(byte[] Data, byte[] Signature)>();
        const int rounds = 5, threads = 4, perThread = 10;
        for (var round = 0; round < rounds; round++)
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    var data = Encoding.UTF8.GetBytes($"{round}/{t}/{i}");
                    results.Add((data, signer.Sign(data)));
                }
            });
            other.CloseAllSessions(signer.Token.SlotId);
        }
        Assert.Equal(rounds * threads * perThread, results.Count);
        Assert.All(results, r => Assert.True(Oracle.DotNetVerifiesPs256(signer.Certificate, r.Data, r.Signature)));
        // One recovery per lost round is enough when threads share it; each thread recovering alone would be up to 4x.
        Assert.InRange(signer.Recoveries, rounds - 1, (rounds - 1) * 2);
    }

    [Fact]
    public void A_wrong_pin_after_losing_the_login_is_reported_and_not_retried()
    {
        hsm.ProvisionEc("rotated-pin-key", 0x24);
        var pin = new SequencePin(hsm.UserPin, "99999999");
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("rotated-pin-key") with { Pin = pin });
        using (var other = Pkcs11Module.Load(hsm.ModulePath))
            other.CloseAllSessions(signer.Token.SlotId);

        var e = Assert.Throws<SigningException>(() => signer.Sign([1]));
        Assert.Equal(SigningFailure.AuthenticationFailed, e.Failure);
        Assert.Equal(2, pin.Calls); // once at start, once for the re-login that failed: no automatic retry
    }

    /// <summary>Gives the PINs in order, then repeats the last; counts how often it was asked.</summary>
    private sealed class SequencePin(params string[] pins) : PinSource
    {
        private int _calls;
        public int Calls => _calls;
        public override string Description => "test sequence";
        public override byte[] Obtain() => Encoding.UTF8.GetBytes(pins[Math.Min(Interlocked.Increment(ref _calls) - 1, pins.Length - 1)]);
    }
}

[CollectionDefinition(nameof(ModuleFinalizingCollection), DisableParallelization = true)]
public sealed class ModuleFinalizingCollection;

/// <summary>C_Finalize ends every session in the process, so this runs alone, after the parallel tests.</summary>
[Collection(nameof(ModuleFinalizingCollection))]
public class ModuleFinalizeRecoveryTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Fact]
    public void Signing_resumes_after_the_module_was_finalized_by_another_component()
    {
        hsm.ProvisionEc("finalize-key", 0x31);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("finalize-key"));
        signer.Sign([1]);

        var generation = hsm.Module.Generation;
        // Another component of the process using Pkcs11Interop directly: its load re-uses the initialised module, and its
        // dispose calls C_Finalize for the whole process. Every call now answers CKR_CRYPTOKI_NOT_INITIALIZED.
        var factories = Pkcs11InteropRuntime.Factories;
        factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, hsm.ModulePath, AppType.MultiThreaded).Dispose();

        var data = "after C_Finalize"u8.ToArray();
        Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, data, signer.Sign(data)));
        Assert.True(signer.Recoveries >= 1);
        Assert.Equal(generation + 1, hsm.Module.Generation); // one fresh library instance, shared by the fixture too
        Assert.Contains(hsm.Module.GetTokens(), t => t.Label == hsm.TokenLabel);
    }
}
