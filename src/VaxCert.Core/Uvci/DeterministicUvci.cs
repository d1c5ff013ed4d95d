using System.Numerics;
using System.Security.Cryptography;

namespace VaxCert.Core.Uvci;

/// <summary>
/// Derives the UVCI from (facility code, facility's own record id), so a record submitted twice gets the same UVCI and the
/// ledger can recognise the resubmission: <c>URN:UVCI:01:VN:&lt;facility&gt;/&lt;12 base-36 digits&gt;#C</c> (35 characters
/// with a 5-character facility code).
/// </summary>
/// <remarks>
/// The 12 digits are the first 62 bits of HMAC-SHA-256(key, facility ‖ 0x00 ‖ record id) (plain SHA-256 when no key is set).
/// Collision argument: ids collide only inside one facility (the facility code is a separate UVCI part); for n records of a
/// facility the birthday bound gives p ≈ n² / 2⁶³, i.e. 1e-5 for ten million records, and the ledger's unique key turns any
/// collision into a visible rejection rather than a silent overwrite. With a secret key the UVCI cannot be computed from a
/// guessed record id, so it reveals nothing about the facility's numbering; without one it is only a stable fingerprint.
/// </remarks>
public sealed class DeterministicUvci
{
    private const int OpaqueDigits = 12;
    private static readonly BigInteger Range = BigInteger.Pow(36, OpaqueDigits);

    private readonly string _country;
    private readonly byte[]? _key;

    /// <param name="country">ISO 3166-1 alpha-2 of the issuing country, e.g. "VN".</param>
    /// <param name="key">Secret HMAC key (at least 16 bytes), or null for an unkeyed SHA-256 derivation.</param>
    public DeterministicUvci(string country, ReadOnlySpan<byte> key = default)
    {
        if (!UvciFormat.IsCountryCode(country))
            throw new ArgumentException("The country must be two upper-case letters.", nameof(country));
        if (!key.IsEmpty && key.Length < 16)
            throw new ArgumentException("An HMAC key needs at least 16 bytes.", nameof(key));
        _country = country;
        _key = key.IsEmpty ? null : key.ToArray();
    }

    /// <summary>The UVCI for this facility's record. Same inputs, same UVCI.</summary>
    public string For(string facilityCode, string facilityRecordId)
    {
        if (!UvciFormat.IsSegment(facilityCode))
            throw new ArgumentException("The facility code must be non-empty and hold only A-Z and 0-9.", nameof(facilityCode));
        if (string.IsNullOrEmpty(facilityRecordId))
            throw new ArgumentException("The facility record id is required.", nameof(facilityRecordId));

        // The 0x00 separator keeps ("A1", "2") and ("A", "12") apart.
        var input = System.Text.Encoding.UTF8.GetBytes(facilityCode + "\0" + facilityRecordId);
        var digest = _key is null ? SHA256.HashData(input) : HMACSHA256.HashData(_key, input);
        var value = new BigInteger(digest.AsSpan(0, 8), isUnsigned: true) % Range;
        return UvciFormat.Generate(_country, facilityCode, Base36.Encode(value, OpaqueDigits));
    }
}
