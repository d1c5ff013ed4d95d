using System.Numerics;
using System.Security.Cryptography;

namespace VaxCert.Core.Uvci;

/// <summary>
/// Issues fresh, time-ordered UVCIs <c>URN:UVCI:01:VN:&lt;facility&gt;/&lt;time&gt;&lt;random&gt;#C</c>: 6 base-36 digits of
/// seconds since 2020-01-01 UTC (good until 2089) and 5 random base-36 digits (60.4 million values per facility per second).
/// With a 5-character facility code the UVCI has 34 characters.
/// </summary>
/// <remarks>
/// Collision odds: two UVCIs collide only within one facility and one second; for n certificates issued there in that second
/// the chance is about n² / (2 × 36⁵), i.e. 8e-7 for n = 10. The ledger's unique key on the UVCI stays the real guarantee: on
/// a conflict, generate again. Time order keeps database index inserts local.
/// </remarks>
public sealed class UvciGenerator
{
    /// <summary>Start of the time field.</summary>
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int TimeDigits = 6;
    private const int RandomDigits = 5;
    private static readonly BigInteger RandomRange = BigInteger.Pow(36, RandomDigits);

    private readonly string _country;
    private readonly TimeProvider _time;

    /// <param name="country">ISO 3166-1 alpha-2 of the issuing country, e.g. "VN".</param>
    /// <param name="time">Clock for the time-ordered part.</param>
    public UvciGenerator(string country, TimeProvider time)
    {
        if (!UvciFormat.IsCountryCode(country))
            throw new ArgumentException("The country must be two upper-case letters.", nameof(country));
        _country = country;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>A new UVCI for a certificate issued on behalf of <paramref name="facilityCode"/> (A-Z 0-9).</summary>
    public string Next(string facilityCode)
    {
        if (!UvciFormat.IsSegment(facilityCode))
            throw new ArgumentException("The facility code must be non-empty and hold only A-Z and 0-9.", nameof(facilityCode));
        var seconds = Math.Max(0, (long)(_time.GetUtcNow() - Epoch).TotalSeconds);
        var random = RandomNumberGenerator.GetInt32(int.MaxValue) % RandomRange;
        var opaque = Base36.Encode(seconds, TimeDigits) + Base36.Encode(random, RandomDigits);
        return UvciFormat.Generate(_country, facilityCode, opaque);
    }
}
