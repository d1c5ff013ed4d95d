using System.Security.Cryptography;
using System.Text;

namespace VaxCert.Ledger.Tests;

/// <summary>Test certificates: deterministic content per (facility, record id, content) so hashes are predictable.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 8, 30, 15, TimeSpan.FromHours(7));

    public static CertificateToRecord Certificate(string facility, string recordId, string? uvci = null, string content = "dose-1")
        => new(
            Uvci: uvci ?? NewUvci(),
            FacilityCode: facility,
            FacilityRecordId: recordId,
            RecordHash: SHA256.HashData(Encoding.UTF8.GetBytes($"{facility}|{recordId}|{content}")),
            FacilityAttestation: [0x01, 0x02, 0x03, .. Encoding.ASCII.GetBytes(recordId)],
            SignerKid: [0xAA, 0xBB, 0xCC, 0xDD, 0x11, 0x22, 0x33, 0x44],
            IssuedAt: IssuedAt.AddTicks(1234567), // sub-microsecond ticks exercise normalization
            ExpiresAt: IssuedAt.AddYears(1),
            Hc1: "HC1:" + recordId);

    public static string NewUvci() => "URN:UVCI:01:VN:" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
}

/// <summary>A clock the test moves by hand (the BCL has no FakeTimeProvider without an extra package).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
