using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Verifier.Schema;

/// <summary>
/// A JSON number as an exact fraction, so <c>minimum</c>/<c>maximum</c>/<c>integer</c> decide on the value itself: no
/// rounding to 15 or 28 significant digits (0.9999999999999999 is below 1; 1e400 is above 9). A double from CBOR is taken
/// at its exact binary value; JSON text at its exact decimal value. Decimal exponents beyond ±10,000 are saturated, which
/// keeps every comparison with a schema bound exact as long as the bound's own exponent is smaller (the EU bounds are 1
/// and 9), and keeps hostile text such as 1e999999999 from costing more than its length.
/// </summary>
internal readonly record struct ExactNumber(BigInteger Numerator, BigInteger Denominator)
{
    private const int MaxExponent = 10_000;

    /// <summary>True when the value has no fractional part (JSON Schema's "integer", so 1.0 counts).</summary>
    public bool IsInteger => BigInteger.Remainder(Numerator, Denominator).IsZero;

    public static ExactNumber From(long value) => new(value, BigInteger.One);

    /// <summary>The exact value of a finite double (mantissa × 2^exponent).</summary>
    public static ExactNumber From(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "JSON has no infinite or NaN numbers");
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        exponent -= 1075;
        BigInteger numerator = value < 0 ? -mantissa : mantissa;
        return exponent >= 0 ? new ExactNumber(numerator << exponent, BigInteger.One) : new ExactNumber(numerator, BigInteger.One << -exponent);
    }

    /// <summary>The exact value of a JSON number literal (RFC 8259 grammar); false for anything else.</summary>
    public static bool TryParse(string text, out ExactNumber number)
    {
        number = default;
        var i = 0;
        var negative = i < text.Length && text[i] == '-';
        if (negative) i++;
        var digits = new System.Text.StringBuilder();
        var intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) digits.Append(text[i++]);
        if (i == intStart) return false;
        var exponent = 0L;
        if (i < text.Length && text[i] == '.')
        {
            var fracStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) digits.Append(text[i++]);
            if (i == fracStart) return false;
            exponent -= i - fracStart;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            var expNegative = i < text.Length && text[i] == '-';
            if (i < text.Length && text[i] is '+' or '-') i++;
            var expStart = i;
            var e = 0L;
            while (i < text.Length && char.IsAsciiDigit(text[i])) e = Math.Min(e * 10 + (text[i++] - '0'), 1_000_000_000L);
            if (i == expStart) return false;
            exponent += expNegative ? -e : e;
        }
        if (i != text.Length) return false;
        var magnitude = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        if (negative) magnitude = -magnitude;
        exponent = Math.Clamp(exponent, -MaxExponent, MaxExponent);
        number = exponent >= 0
            ? new ExactNumber(magnitude * BigInteger.Pow(10, (int)exponent), BigInteger.One)
            : new ExactNumber(magnitude, BigInteger.Pow(10, (int)-exponent));
        return true;
    }

    /// <summary>The exact value of a JSON number node; false when it is not a finite number.</summary>
    public static bool TryFrom(JsonValue value, out ExactNumber number)
    {
        number = default;
        if (value.TryGetValue(out JsonElement element))
            return element.ValueKind == JsonValueKind.Number && TryParse(element.GetRawText(), out number);
        if (value.TryGetValue(out long l)) { number = From(l); return true; }
        if (value.TryGetValue(out int i)) { number = From(i); return true; }
        if (value.TryGetValue(out double d)) return TryFinite(d, out number);
        if (value.TryGetValue(out float f)) return TryFinite(f, out number);
        // Any other CLR number (decimal, ulong, short...) serializes to its exact JSON text.
        return TryParse(value.ToJsonString(), out number);
    }

    private static bool TryFinite(double d, out ExactNumber number)
    {
        number = double.IsFinite(d) ? From(d) : default;
        return double.IsFinite(d);
    }

    public int CompareTo(ExactNumber other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);
}
