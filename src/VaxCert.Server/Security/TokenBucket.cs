namespace VaxCert.Server.Security;

/// <summary>A token bucket: <c>rate</c> tokens per second up to <c>capacity</c>; thread-safe. Starts full.</summary>
public sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _tokens;
    private long _lastTimestamp;

    /// <param name="ratePerSecond">Tokens added per second.</param>
    /// <param name="capacity">Most tokens held (the bucket starts full).</param>
    /// <param name="time">Clock; the system clock by default.</param>
    public TokenBucket(double ratePerSecond, double capacity, TimeProvider? time = null)
    {
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
        _tokens = capacity;
        _lastTimestamp = _time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="tokens"/> if that many are available now; false (taking none) otherwise.</summary>
    public bool TryTake(double tokens)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _ratePerSecond);
            _lastTimestamp = now;
            if (_tokens < tokens)
                return false;
            _tokens -= tokens;
            return true;
        }
    }
}

/// <summary>One <see cref="TokenBucket"/> per caller name.</summary>
public sealed class CallerRateLimiter(double ratePerSecond, double capacity, TimeProvider? time = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>The most a single request may cost (the bucket size).</summary>
    public double Capacity => capacity;

    /// <summary>Takes <paramref name="cost"/> tokens from <paramref name="caller"/>'s bucket; false when it has too few.</summary>
    public bool TryAcquire(string caller, int cost) =>
        _buckets.GetOrAdd(caller, _ => new TokenBucket(ratePerSecond, capacity, time)).TryTake(cost);
}
