namespace VaxCert.Core.Tests.Uvci;

/// <summary>A clock that starts at a given instant and moves forward by <c>step</c> on each read.</summary>
internal sealed class FixedTime(DateTimeOffset start, TimeSpan step = default) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now += step;
        return now;
    }
}
