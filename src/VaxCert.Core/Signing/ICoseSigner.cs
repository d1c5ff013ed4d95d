using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Core.Signing;

/// <summary>
/// A signing key with its X.509 certificate. Software keys and PKCS#11 token keys both implement it,
/// so issuance never knows where the private key lives.
/// </summary>
public interface ICoseSigner : IDisposable
{
    /// <summary>The COSE algorithm this key produces.</summary>
    CoseAlgorithm Algorithm { get; }

    /// <summary>The signer certificate (DSC for the ministry, facility certificate for a facility).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>First 8 bytes of SHA-256 over the certificate's DER encoding.</summary>
    ReadOnlyMemory<byte> KeyId { get; }

    /// <summary>
    /// Signs <paramref name="data"/> (the full to-be-signed bytes, not a hash): SHA-256 then ECDSA (raw r‖s, 64 bytes)
    /// for ES256, or RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) for PS256.
    /// Throws <see cref="SigningException"/> when the key cannot sign (token removed, PIN locked, ...).
    /// </summary>
    byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>
    /// The same signature as <see cref="Sign"/>, for callers that must not block while a shared key is busy. A signer with a
    /// bounded resource (a token's session pool) waits for it asynchronously and stops waiting when
    /// <paramref name="cancellationToken"/> fires (<see cref="OperationCanceledException"/>); once the device call has
    /// started it runs to the end, because PKCS#11 cannot cancel a C_Sign. This default suits signers that never wait:
    /// it checks the token once, then signs synchronously.
    /// </summary>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Sign(data.Span));
    }
}
