namespace VaxCert.Core.Uvci;

/// <summary>
/// The UVCI check character: Luhn mod N with N = 38 over <c>A-Z 0-9 / :</c>, computed over the whole UVCI including
/// "URN:UVCI:" and excluding "#" and the check character (eHN guidelines Annex 2; shared/eu-dcc/README.md section 7).
/// </summary>
public static class LuhnMod38
{
    /// <summary>The ordered alphabet: A=0 ... Z=25, 0=26 ... 9=35, '/'=36, ':'=37.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:";

    private const int N = 38;

    /// <summary>Index of <paramref name="c"/> in <see cref="Alphabet"/>, or -1.</summary>
    public static int IndexOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => 26 + (c - '0'),
        '/' => 36,
        ':' => 37,
        _ => -1,
    };

    /// <summary>The check character for <paramref name="body"/>, or null if it holds a character outside the alphabet.</summary>
    public static char? ComputeCheckCharacter(ReadOnlySpan<char> body)
    {
        // When generating, the rightmost character is doubled.
        var sum = WeightedSum(body, rightmostFactor: 2);
        return sum is int s ? Alphabet[(N - s % N) % N] : null;
    }

    /// <summary>True when <paramref name="check"/> is the correct check character for <paramref name="body"/>.</summary>
    public static bool IsValid(ReadOnlySpan<char> body, char check)
    {
        var checkIndex = IndexOf(check);
        if (checkIndex < 0)
            return false;
        // Validating body + check: the check character gets factor 1, so the body's rightmost gets 2.
        var sum = WeightedSum(body, rightmostFactor: 2);
        return sum is int s && (s + checkIndex) % N == 0;
    }

    private static int? WeightedSum(ReadOnlySpan<char> body, int rightmostFactor)
    {
        var factor = rightmostFactor;
        var sum = 0;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var index = IndexOf(body[i]);
            if (index < 0)
                return null;
            var product = index * factor;
            sum += product / N + product % N;
            factor = factor == 2 ? 1 : 2;
        }
        return sum;
    }
}
