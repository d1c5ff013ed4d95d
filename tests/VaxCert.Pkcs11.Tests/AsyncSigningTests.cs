using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>The async, cancellable signing seam (ICoseSigner.SignAsync) on a real SoftHSM2 token and on a software key.</summary>
public class AsyncSigningTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public async Task Token_signatures_made_async_verify_like_sync_ones(CoseAlgorithm algorithm)
    {
        var label = $"async-{algorithm}";
        if (algorithm == CoseAlgorithm.ES256) hsm.ProvisionEc(label, 0x51); else hsm.ProvisionRsa(label, 0x52);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions(label));
        ICoseSigner seam = signer;
        var data = "async Sig_structure"u8.ToArray();
        var signature = await seam.SignAsync(data, CancellationToken.None);
        Assert.True(algorithm == CoseAlgorithm.ES256
            ? Oracle.DotNetVerifiesEs256(signer.Certificate, data, signature)
            : Oracle.BouncyCastleVerifiesPs256(signer.Certificate, data, signature));
    }

    [Fact]
    public async Task Many_async_callers_share_a_small_pool_and_every_signature_verifies()
    {
        hsm.ProvisionEc("async-many", 0x53);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("async-many", poolSize: 2));
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async t =>
        {
            var mine = new List<(byte[], byte[])>();
            for (var i = 0; i < 25; i++)
            {
                var data = Encoding.UTF8.GetBytes($"task {t} message {i}");
                mine.Add((data, await signer.SignAsync(data)));
            }
            return mine;
        }));
        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(400, all.Count);
        Assert.All(all, r => Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, r.Item1, r.Item2)));
    }

    [Fact]
    public async Task A_caller_waiting_for_a_busy_session_stops_at_cancellation_and_leaves_the_pool_intact()
    {
        hsm.ProvisionEc("async-pool", 0x54);
        // The pool hands out logged-in sessions only; login state is per process and token, so one login session suffices.
        using var login = hsm.Module.OpenSession(hsm.Token.SlotId);
        login.LoginWith(CKU.CKU_USER, Encoding.UTF8.GetBytes(hsm.UserPin));
        using var pool = new SessionPool(hsm.Module, hsm.Token.SlotId, size: 1);

        var held = await pool.RentAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.RentAsync(cancel.Token));
        held.Dispose();

        // The cancelled waiter took no slot: the one session is available again at once.
        using var again = await pool.RentAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(CKS.CKS_RO_USER_FUNCTIONS, again.Session.GetSessionInfo().State);
    }

    [Fact]
    public async Task Cancelling_queued_signers_cancels_only_the_waiters_and_the_signer_keeps_working()
    {
        hsm.ProvisionEc("async-cancel", 0x55);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("async-cancel", poolSize: 1));
        using var cancel = new CancellationTokenSource();
        var outcomes = new ConcurrentBag<string>();
        var callers = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var data = Encoding.UTF8.GetBytes($"queued {i}");
            try
            {
                var signature = await signer.SignAsync(data, cancel.Token);
                outcomes.Add(Oracle.DotNetVerifiesEs256(signer.Certificate, data, signature) ? "signed" : "BAD SIGNATURE");
            }
            catch (OperationCanceledException)
            {
                outcomes.Add("cancelled");
            }
        })).ToList();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(callers);

        Assert.Equal(64, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "signed", "cancelled" }));
        // No slot leaked: with a pool of one session, a leak would make this wait forever.
        var after = signer.SignAsync("after the cancellations"u8.ToArray(), new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, "after the cancellations"u8.ToArray(), await after));
    }

    [Fact]
    public async Task An_already_cancelled_call_signs_nothing()
    {
        hsm.ProvisionEc("async-precancelled", 0x56);
        using var signer = Pkcs11CoseSigner.Open(hsm.SignerOptions("async-precancelled"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignAsync(new byte[] { 1 }, new CancellationToken(true)));
    }

    [Fact]
    public async Task Software_signer_implements_the_same_seam()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=async software", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using ICoseSigner signer = SoftwareCoseSigner.FromCertificate(certificate);
        var data = "software async"u8.ToArray();
        Assert.True(Oracle.DotNetVerifiesEs256(signer.Certificate, data, await signer.SignAsync(data)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignAsync(data, new CancellationToken(true)));
    }
}
