namespace VaxCert.Core.Encoding;

/// <summary>Base45 (RFC 9285), strict: only the 45-character alphabet, no impossible groups.</summary>
public static class Base45
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static readonly sbyte[] Reverse = BuildReverse();

    private static sbyte[] BuildReverse()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++) table[Alphabet[i]] = (sbyte)i;
        return table;
    }

    /// <summary>Length of the Base45 text for <paramref name="byteCount"/> bytes.</summary>
    public static int GetEncodedLength(int byteCount) => byteCount / 2 * 3 + byteCount % 2 * 2;

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var length = GetEncodedLength(data.Length);
        // string.Create avoids an intermediate char buffer; the span can't be captured, so copy it only when small.
        var chars = length <= 4096 ? stackalloc char[length] : new char[length];
        Encode(data, chars);
        return new string(chars);
    }

    /// <summary>Writes the encoding of <paramref name="data"/> into <paramref name="destination"/>; returns chars written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination)
    {
        var needed = GetEncodedLength(data.Length);
        if (destination.Length < needed)
            throw new ArgumentException("Destination too small.", nameof(destination));
        var o = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            var n = (data[i] << 8) | data[i + 1];
            var c = n % 45; n /= 45;
            var d = n % 45;
            var e = n / 45;
            destination[o++] = Alphabet[c];
            destination[o++] = Alphabet[d];
            destination[o++] = Alphabet[e];
        }
        if (i < data.Length)
        {
            int n = data[i];
            destination[o++] = Alphabet[n % 45];
            destination[o++] = Alphabet[n / 45];
        }
        return o;
    }

    /// <summary>Decodes Base45 text; never throws on bad input.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out DecodeFailure failure)
    {
        bytes = [];
        if (text.Length % 3 == 1)
        {
            // A dangling single character can never be valid; report a bad character first if there is one.
            failure = FirstInvalidCharacter(text) ? DecodeFailure.Base45InvalidCharacter : DecodeFailure.Base45InvalidGroup;
            return false;
        }
        var output = new byte[text.Length / 3 * 2 + (text.Length % 3 == 2 ? 1 : 0)];
        var o = 0;
        var i = 0;
        for (; i + 2 < text.Length; i += 3)
        {
            int c = Value(text[i]), d = Value(text[i + 1]), e = Value(text[i + 2]);
            if ((c | d | e) < 0) { failure = DecodeFailure.Base45InvalidCharacter; return false; }
            var n = c + d * 45 + e * 45 * 45;
            if (n > 0xFFFF) { failure = DecodeFailure.Base45InvalidGroup; return false; }
            output[o++] = (byte)(n >> 8);
            output[o++] = (byte)n;
        }
        if (i < text.Length)
        {
            int c = Value(text[i]), d = Value(text[i + 1]);
            if ((c | d) < 0) { failure = DecodeFailure.Base45InvalidCharacter; return false; }
            var n = c + d * 45;
            if (n > 0xFF) { failure = DecodeFailure.Base45InvalidGroup; return false; }
            output[o++] = (byte)n;
        }
        bytes = output;
        failure = DecodeFailure.None;
        return true;
    }

    private static int Value(char ch) => ch < 128 ? Reverse[ch] : -1;

    private static bool FirstInvalidCharacter(ReadOnlySpan<char> text)
    {
        foreach (var ch in text)
            if (Value(ch) < 0) return true;
        return false;
    }
}
