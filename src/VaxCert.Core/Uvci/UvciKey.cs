using System.Security.Cryptography;

namespace VaxCert.Core.Uvci;

/// <summary>
/// The issuer's secret UVCI key (32 bytes). UVCIs are <see cref="DeterministicUvci"/> HMACs over (facility, record id), so
/// without a key they would be an unkeyed hash of a facility code and a usually sequential record id: anyone could
/// compute the UVCI of any record and look it up. The ministry holds this master key; each facility receives only its
/// own <see cref="ForFacility">derived key</see> to put UVCIs into the records it co-signs, and the issuance server
/// recomputes the UVCI with the master key and refuses any other. One facility's key therefore predicts nothing about
/// another facility's UVCIs. The same (facility, record id) always gives the same UVCI, so exactly-once by UVCI holds.
/// </summary>
/// <remarks>
/// File format (<see cref="Load"/>, <see cref="Save"/>): 64 hexadecimal digits on one line, file mode 0600. The key is
/// never printed: <see cref="ToString"/> is redacted and no error message repeats the file's content.
/// </remarks>
public sealed class UvciKey
{
    /// <summary>Key length in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] FacilityLabel = "VaxCert-UVCI-facility-key-v1\0"u8.ToArray();

    private readonly byte[] _key;

    private UvciKey(byte[] key) => _key = key;

    /// <summary>A new random key.</summary>
    public static UvciKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Wraps <paramref name="key"/> (exactly 32 bytes; copied).</summary>
    public static UvciKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == Length ? new UvciKey(key.ToArray()) : throw new ArgumentException($"A UVCI key has exactly {Length} bytes.", nameof(key));

    /// <summary>Reads a key file (64 hex digits).</summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable or not 64 hex digits; the message names the path only.</exception>
    public static UvciKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path, System.Text.Encoding.ASCII).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the UVCI key file {path}: {e.GetType().Name}", nameof(path));
        }
        if (text.Length != 2 * Length || text.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
            throw new ArgumentException($"the UVCI key file {path} must hold {2 * Length} hexadecimal digits ({Length} bytes)", nameof(path));
        return new UvciKey(Convert.FromHexString(text));
    }

    /// <summary>Writes the key file, readable by its owner only (0600 where the platform has Unix modes).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.WriteLine(Convert.ToHexStringLower(_key));
    }

    /// <summary>The key a facility uses to derive its UVCIs: HMAC-SHA-256(master, label ‖ facility code).</summary>
    public byte[] ForFacility(string facilityCode)
    {
        if (!UvciFormat.IsSegment(facilityCode))
            throw new ArgumentException("The facility code must be non-empty and hold only A-Z and 0-9.", nameof(facilityCode));
        byte[] message = [.. FacilityLabel, .. System.Text.Encoding.ASCII.GetBytes(facilityCode)];
        return HMACSHA256.HashData(_key, message);
    }

    /// <summary>The UVCI of a facility's record under this key (what the facility computes with its derived key).</summary>
    public string Derive(string country, string facilityCode, string facilityRecordId) =>
        new DeterministicUvci(country, ForFacility(facilityCode)).For(facilityCode, facilityRecordId);

    /// <summary>Redacted: the key never reaches a log.</summary>
    public override string ToString() => "UvciKey(redacted)";
}
