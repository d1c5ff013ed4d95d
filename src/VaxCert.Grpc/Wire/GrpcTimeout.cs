using System.Globalization;

namespace VaxCert.Grpc.Wire;

/// <summary>Parses and formats the grpc-timeout header: 1 to 8 ASCII digits followed by H, M, S, m, u or n.</summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Parses a grpc-timeout value; false when it is malformed (wrong unit, no digits, more than 8 digits).</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9)
            return false;
        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
            if (c is < '0' or > '9')
                return false;
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        // 99,999,999 hours overflows TimeSpan's tick count only beyond 10^7 days, so every legal value fits.
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => (amount + 99) / 100, // rounded up, so "1n" is a tiny deadline rather than none
            _ => null,
        };
        if (ticks is null)
            return false;
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>
    /// Formats a timeout in the finest unit that fits 8 digits, rounding up so the peer never sees a shorter deadline.
    /// Negative or zero timeouts become "1n" (already expired, but still a legal header).
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(1, timeout.Ticks);
        if (ticks % TimeSpan.TicksPerMillisecond == 0 && ticks / TimeSpan.TicksPerMillisecond <= MaxValue)
            return Invariant(ticks / TimeSpan.TicksPerMillisecond, 'm');
        (long TicksPerUnit, char Unit)[] units =
        [
            (TimeSpan.TicksPerMicrosecond, 'u'), (TimeSpan.TicksPerMillisecond, 'm'), (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'), (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (perUnit, unit) in units)
        {
            var amount = (ticks + perUnit - 1) / perUnit;
            if (amount <= MaxValue)
                return Invariant(amount, unit);
        }
        return Invariant(MaxValue, 'H');
    }

    private static string Invariant(long amount, char unit) => amount.ToString(CultureInfo.InvariantCulture) + unit;
}
