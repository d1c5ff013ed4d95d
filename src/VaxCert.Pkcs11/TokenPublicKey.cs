using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11;

/// <summary>Reads public keys from token objects (CKA_EC_PARAMS/CKA_EC_POINT, CKA_MODULUS/CKA_PUBLIC_EXPONENT).</summary>
public static class TokenPublicKey
{
    /// <summary>DER of the OID prime256v1 (1.2.840.10045.3.1.7), the CKA_EC_PARAMS value for P-256.</summary>
    public static ReadOnlySpan<byte> P256Parameters => [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    /// <summary>The public key of an EC P-256 or RSA public-key object as a .NET key (caller disposes).</summary>
    public static AsymmetricAlgorithm Read(ISession session, IObjectHandle publicKey)
    {
        var keyType = session.ReadULong(publicKey, CKA.CKA_KEY_TYPE);
        switch ((CKK?)keyType)
        {
            case CKK.CKK_EC:
                var values = session.ReadBytes(publicKey, CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT);
                if (values[0] is null || !values[0].AsSpan().SequenceEqual(P256Parameters))
                    throw new Pkcs11LookupException(LookupFailure.UnsupportedKey, "EC key is not on curve P-256.");
                var point = EcPoint.Unwrap(values[1] ?? [], 32);
                return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            case CKK.CKK_RSA:
                var rsa = session.ReadBytes(publicKey, CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT);
                if (rsa[0] is not { Length: > 0 } modulus || rsa[1] is not { Length: > 0 } exponent)
                    throw new Pkcs11LookupException(LookupFailure.UnsupportedKey, "RSA public key has no modulus or exponent.");
                return RSA.Create(new RSAParameters { Modulus = modulus, Exponent = exponent });
            default:
                throw new Pkcs11LookupException(LookupFailure.UnsupportedKey, $"Key type {keyType?.ToString() ?? "unknown"} is not supported.");
        }
    }
}

/// <summary>CKA_EC_POINT values: most modules DER-wrap the point in an OCTET STRING (04 41 04 X Y); some return it bare.</summary>
public static class EcPoint
{
    /// <summary>
    /// The uncompressed point 04 X Y for a curve with <paramref name="coordinateSize"/>-byte coordinates, from either form.
    /// The length decides which form it is, because a bare point also starts with 04.
    /// </summary>
    /// <exception cref="Pkcs11LookupException">Neither form.</exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> value, int coordinateSize)
    {
        var pointLength = 1 + 2 * coordinateSize;
        if (value.Length == pointLength && value[0] == 0x04)
            return value.ToArray();
        var header = pointLength < 0x80 ? 2 : 3; // short or one-byte long form DER length
        var lengthOk = header == 2 ? value.Length > 1 && value[1] == pointLength
                                   : value.Length > 2 && value[1] == 0x81 && value[2] == pointLength;
        if (value.Length == header + pointLength && value[0] == 0x04 && lengthOk && value[header] == 0x04)
            return value[header..].ToArray();
        throw new Pkcs11LookupException(LookupFailure.UnsupportedKey,
            $"CKA_EC_POINT of {value.Length} bytes is neither a bare nor an OCTET STRING wrapped uncompressed point.");
    }
}
