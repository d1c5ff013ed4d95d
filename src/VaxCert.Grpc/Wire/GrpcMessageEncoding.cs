using System.Text;

namespace VaxCert.Grpc.Wire;

/// <summary>
/// Percent-encoding of grpc-message: UTF-8, then every byte outside 0x20-0x7E and '%' itself as %XX. Header values must
/// be ASCII (Kestrel refuses others), and this is what every gRPC implementation decodes.
/// </summary>
public static class GrpcMessageEncoding
{
    /// <summary>Encodes a status message for the grpc-message header.</summary>
    public static string Encode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
                builder.Append((char)b);
            else
                builder.Append('%').Append(Convert.ToHexString([b]));
        }
        return builder.ToString();
    }

    /// <summary>Decodes a grpc-message value leniently: broken escapes stay as written, invalid UTF-8 becomes U+FFFD.</summary>
    public static string Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
            return "";
        var bytes = new List<byte>(encoded.Length);
        var literalStart = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '%' || i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                continue;
            // Literal runs are converted as a whole so a surrogate pair (from a non-conforming peer) survives.
            bytes.AddRange(Encoding.UTF8.GetBytes(encoded[literalStart..i]));
            bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
            i += 2;
            literalStart = i + 1;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(encoded[literalStart..]));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
