namespace VaxCert.Core.Encoding;

/// <summary>The hcert context identifier: "HC1:" in front of the Base45 text.</summary>
public static class ContextPrefix
{
    public const string Hc1 = "HC1:";

    public static string Add(string base45) => Hc1 + base45;

    /// <summary>
    /// Strips "HC1:". Anything that looks like another context prefix (two letters, a version character and a colon,
    /// e.g. "HC2:", "HL0:") is unsupported; text without such a prefix is missing one.
    /// </summary>
    public static bool TryStrip(ReadOnlySpan<char> text, out ReadOnlySpan<char> body, out DecodeFailure failure)
    {
        if (text.StartsWith(Hc1, StringComparison.Ordinal))
        {
            body = text[Hc1.Length..];
            failure = DecodeFailure.None;
            return true;
        }
        body = default;
        var colon = text.IndexOf(':');
        failure = colon is >= 2 and <= 4 && IsPrefixLike(text[..colon]) ? DecodeFailure.PrefixUnsupported : DecodeFailure.PrefixMissing;
        return false;
    }

    private static bool IsPrefixLike(ReadOnlySpan<char> head)
    {
        foreach (var c in head)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return char.IsAsciiLetter(head[0]);
    }
}
