using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Core.Signing;

/// <summary>The hcert kid: the first 8 bytes of SHA-256 over a certificate's DER encoding.</summary>
public static class KeyIdentifier
{
    public const int Length = 8;

    public static byte[] For(X509Certificate2 certificate) => For(certificate.RawData);

    public static byte[] For(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(certificateDer, hash);
        return hash[..Length].ToArray();
    }
}
