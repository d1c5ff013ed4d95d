using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Encoding;

/// <summary>
/// The one place a COSE ES256/PS256 signature is verified, under the EU DCC profile: ES256 needs an EC key on P-256
/// (not merely any 256-bit curve) and a 64-byte r||s signature; PS256 needs RSA of at least 2048 bits and a signature
/// exactly as long as the modulus (RSASSA-PSS, SHA-256, MGF1-SHA-256). The key is checked once, when this object is made,
/// so a hot path (the verifier's trust list) pays nothing per signature. Never throws for a bad signature or a
/// key/algorithm mismatch: the answer is false.
/// </summary>
public sealed class CoseVerificationKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private CoseVerificationKey(ECDsa? ec, RSA? rsa)
    {
        _ec = ec;
        _rsa = rsa;
        Algorithm = ec is not null ? CoseAlgorithm.ES256 : CoseAlgorithm.PS256;
    }

    /// <summary>The only algorithm this key verifies: ES256 for a P-256 key, PS256 for an RSA key.</summary>
    public CoseAlgorithm Algorithm { get; }

    /// <summary>
    /// The verification key of a certificate, or null (with <paramref name="problem"/>) when its public key is outside the
    /// profile: neither EC P-256 nor RSA of 2048 bits or more.
    /// </summary>
    public static CoseVerificationKey? FromCertificate(X509Certificate2 certificate, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        problem = null;
        try
        {
            if (certificate.GetECDsaPublicKey() is { } ec)
            {
                if (IsP256(ec)) return new CoseVerificationKey(ec, null);
                ec.Dispose();
                problem = "the EC key is not on P-256";
                return null;
            }
            if (certificate.GetRSAPublicKey() is { } rsa)
            {
                if (rsa.KeySize >= 2048) return new CoseVerificationKey(null, rsa);
                problem = $"the RSA key has {rsa.KeySize} bits (at least 2048 are required)";
                rsa.Dispose();
                return null;
            }
            problem = "the key is neither EC nor RSA";
            return null;
        }
        catch (CryptographicException)
        {
            problem = "the public key cannot be read";
            return null;
        }
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with COSE algorithm <paramref name="algorithm"/>.</summary>
    public bool Verify(int algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (algorithm != (int)Algorithm || !HasProfileLength(signature)) return false;
        try
        {
            return _ec is not null
                ? _ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : _rsa!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>As <see cref="Verify"/>, for a SHA-256 digest already computed (a token signs the digest).</summary>
    public bool VerifyHash(int algorithm, ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        if (algorithm != (int)Algorithm || sha256.Length != 32 || !HasProfileLength(signature)) return false;
        try
        {
            return _ec is not null
                ? _ec.VerifyHash(sha256, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : _rsa!.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>One-shot check with a certificate's key; false when the key is outside the profile.</summary>
    public static bool Verify(X509Certificate2 certificate, int algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = FromCertificate(certificate, out _);
        return key is not null && key.Verify(algorithm, data, signature);
    }

    private bool HasProfileLength(ReadOnlySpan<byte> signature)
        => signature.Length == (_ec is not null ? 64 : _rsa!.KeySize / 8);

    private static bool IsP256(ECDsa ec)
    {
        if (ec.KeySize != 256) return false;
        var curve = ec.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
