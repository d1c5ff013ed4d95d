using System.Security.Cryptography;
using System.Text;
using VaxCert.Core.Signing;

namespace VaxCert.Verifier.Revocation;

/// <summary>
/// Computes the EU DCC revocation hashes of a certificate: SHA-256 truncated to 128 bits over the UCI, over iss + UCI,
/// and over the signature. For ES256 only r (the first half) is hashed, as the EU revocation spec does: s can be negated
/// without invalidating the signature, r cannot, so the hash survives signature malleation.
/// </summary>
public static class RevocationHashes
{
    /// <summary>The 16-byte hash of the UCI.</summary>
    public static byte[] Uci(string uci) => Truncated(Encoding.UTF8.GetBytes(uci));

    /// <summary>The 16-byte hash of the issuing country (CWT iss) followed by the UCI.</summary>
    public static byte[] CountryCodeUci(string issuer, string uci) => Truncated(Encoding.UTF8.GetBytes(issuer + uci));

    /// <summary>The 16-byte hash of the signature bytes relevant for <paramref name="algorithm"/>.</summary>
    public static byte[] Signature(int algorithm, ReadOnlySpan<byte> signature)
        => Truncated(algorithm == (int)CoseAlgorithm.ES256 ? signature[..(signature.Length / 2)] : signature);

    private static byte[] Truncated(ReadOnlySpan<byte> data)
    {
        Span<byte> full = stackalloc byte[32];
        SHA256.HashData(data, full);
        return full[..RevocationList.BytesPerEntry].ToArray();
    }
}
