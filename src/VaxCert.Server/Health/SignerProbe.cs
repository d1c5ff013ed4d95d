using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Server.Health;

/// <summary>
/// "Can the signer sign, with the key its certificate names?" A probe signature over a fixed message, verified with the
/// certificate's public key. The answer is cached for <c>ttl</c> so health checks cost one token operation per interval.
/// </summary>
public sealed class SignerProbe(ICoseSigner signer, TimeSpan ttl, TimeProvider? time = null)
{
    private static readonly byte[] ProbeMessage = "VaxCert signer probe"u8.ToArray();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, SignerCheck Result)? _cached;

    /// <summary>Signs and verifies now, uncached. Never throws: failures are reported.</summary>
    public SignerCheck CheckNow()
    {
        try
        {
            var signature = signer.Sign(ProbeMessage);
            return Verifies(signer, signature) ? SignerCheck.Ok
                : new SignerCheck(false, "the signature does not verify with the signer certificate (key and certificate do not match)");
        }
        catch (SigningException e)
        {
            return new SignerCheck(false, $"the signer cannot sign ({e.Failure})", e.Failure);
        }
        catch (CryptographicException)
        {
            return new SignerCheck(false, "the signer cannot sign (cryptographic error)");
        }
    }

    /// <summary>The cached verdict, refreshed when older than the TTL.</summary>
    public async ValueTask<SignerCheck> CheckAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && _time.GetUtcNow() - c.At < ttl)
            return c.Result;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && _time.GetUtcNow() - again.At < ttl)
                return again.Result;
            var result = CheckNow();
            _cached = (_time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool Verifies(ICoseSigner signer, byte[] signature)
        => CoseVerificationKey.Verify(signer.Certificate, (int)signer.Algorithm, ProbeMessage, signature);
}

/// <summary>A signer probe verdict.</summary>
/// <param name="CanSign">The probe signature was made and verified.</param>
/// <param name="Detail">Why not (no secrets, no device text).</param>
/// <param name="Failure">The signing failure class, when the signer threw.</param>
public sealed record SignerCheck(bool CanSign, string Detail, SigningFailure? Failure = null)
{
    /// <summary>The signer works.</summary>
    public static SignerCheck Ok { get; } = new(true, "ok");
}
