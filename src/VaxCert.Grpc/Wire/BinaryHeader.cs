namespace VaxCert.Grpc.Wire;

/// <summary>Values of "-bin" metadata: base64, emitted unpadded, accepted padded or unpadded.</summary>
public static class BinaryHeader
{
    /// <summary>Unpadded base64.</summary>
    public static string Encode(ReadOnlySpan<byte> value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>Decodes padded or unpadded base64; false for anything else.</summary>
    public static bool TryDecode(string value, out byte[] bytes)
    {
        var trimmed = value.Trim().TrimEnd('=');
        var padded = trimmed + new string('=', (4 - trimmed.Length % 4) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        if (Convert.TryFromBase64String(padded, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }
}
