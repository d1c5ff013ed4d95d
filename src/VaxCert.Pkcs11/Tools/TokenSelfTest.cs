using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Pkcs11.Tools;

/// <summary>Outcome of signing one probe on a token and verifying it with the token's certificate.</summary>
public sealed record SelfTestResult(CoseAlgorithm Algorithm, string Mechanism, string CertificateSubject, string KeyId,
    TimeSpan OpenTime, TimeSpan SignTime, bool Verified);

/// <summary>What <c>vaxcert token test</c> does: open the signer (login, key and certificate checks), sign once, verify.</summary>
public static class TokenSelfTest
{
    /// <summary>Runs the test; configuration and PIN problems surface as <see cref="SigningException"/>.</summary>
    public static SelfTestResult Run(Pkcs11SignerOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var signer = Pkcs11CoseSigner.Open(options with { PoolSize = 1 });
        var openTime = clock.Elapsed;
        var probe = RandomNumberGenerator.GetBytes(64);
        clock.Restart();
        var signature = signer.Sign(probe);
        var signTime = clock.Elapsed;
        var verified = CoseVerificationKey.Verify(signer.Certificate, (int)signer.Algorithm, probe, signature);
        var mechanism = signer.Algorithm == CoseAlgorithm.ES256
            ? "CKM_ECDSA (SHA-256 on host, raw r||s)"
            : "CKM_RSA_PKCS_PSS (SHA-256 on host, MGF1-SHA256, salt 32)";
        return new SelfTestResult(signer.Algorithm, mechanism, signer.Certificate.Subject,
            Convert.ToBase64String(signer.KeyId.Span), openTime, signTime, verified);
    }
}
