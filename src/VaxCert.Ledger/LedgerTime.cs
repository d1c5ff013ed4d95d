namespace VaxCert.Ledger;

/// <summary>
/// The ledger keeps times to the microsecond (PostgreSQL's resolution), in UTC, so a value read back is exactly the value
/// written and the audit hash over it is reproducible on any engine.
/// </summary>
public static class LedgerTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The time in UTC, cut to whole microseconds.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TicksPerMicrosecond, TimeSpan.Zero);
    }

    /// <summary>Microseconds since 1970-01-01T00:00:00Z.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset time)
        => (Normalize(time).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    /// <summary>Inverse of <see cref="ToUnixMicroseconds"/>.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long micros)
        => new(DateTimeOffset.UnixEpoch.UtcTicks + micros * TicksPerMicrosecond, TimeSpan.Zero);
}
