using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Core.Signing;

/// <summary>An <see cref="ICoseSigner"/> over an in-memory private key (dev keys, tests, software HSM-less setups).</summary>
public sealed class SoftwareCoseSigner : ICoseSigner
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly byte[] _kid;

    private SoftwareCoseSigner(X509Certificate2 certificate, ECDsa? ec, RSA? rsa)
    {
        Certificate = certificate;
        _ec = ec;
        _rsa = rsa;
        Algorithm = ec is not null ? CoseAlgorithm.ES256 : CoseAlgorithm.PS256;
        _kid = KeyIdentifier.For(certificate);
    }

    /// <summary>Uses the private key attached to <paramref name="certificate"/>; EC P-256 gives ES256, RSA gives PS256.</summary>
    public static SoftwareCoseSigner FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var ec = certificate.GetECDsaPrivateKey();
        if (ec is not null)
        {
            if (ec.KeySize != 256)
                throw new ArgumentException($"EC key must be P-256, got {ec.KeySize} bits.", nameof(certificate));
            return new SoftwareCoseSigner(certificate, ec, null);
        }
        var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            if (rsa.KeySize < 2048)
                throw new ArgumentException($"RSA key must be at least 2048 bits, got {rsa.KeySize}.", nameof(certificate));
            return new SoftwareCoseSigner(certificate, null, rsa);
        }
        throw new ArgumentException("The certificate has no usable EC or RSA private key.", nameof(certificate));
    }

    /// <summary>Loads a PEM certificate and its PEM (PKCS#8 or SEC1/PKCS#1) private key.</summary>
    public static SoftwareCoseSigner FromPemFiles(string certificatePath, string privateKeyPath)
    {
        var cert = X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath);
        return FromCertificate(cert);
    }

    public CoseAlgorithm Algorithm { get; }
    public X509Certificate2 Certificate { get; }
    public ReadOnlyMemory<byte> KeyId => _kid;

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (_ec is not null)
            return _ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        // .NET's PSS uses salt length = hash length (32 for SHA-256), as COSE PS256 requires.
        return _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>Signs in memory without waiting; cancellation is checked once before signing.</summary>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Sign(data.Span));
    }

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
        Certificate.Dispose();
    }
}
