using System.Numerics;

namespace VaxCert.Core.Uvci;

/// <summary>Fixed-width base-36 (0-9 A-Z) encoding; every digit is also valid in a UVCI.</summary>
internal static class Base36
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>The <paramref name="width"/> least significant base-36 digits of <paramref name="value"/>, zero-padded.</summary>
    public static string Encode(BigInteger value, int width)
    {
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            chars[i] = Digits[(int)(value % 36)];
            value /= 36;
        }
        return new string(chars);
    }
}
