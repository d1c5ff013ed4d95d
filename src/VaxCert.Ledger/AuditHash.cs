using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VaxCert.Ledger;

/// <summary>
/// The canonical serialization hashed into each audit entry (docs/ledger.md, "Audit hash"): the ASCII tag
/// <c>VXAUDIT1</c>, then seven fields, each as a 4-byte big-endian length followed by its bytes:
/// seq (decimal ASCII), time (microseconds since the Unix epoch, decimal ASCII), event name, subject, facility and
/// details (UTF-8), and prev_hash (32 raw bytes). Length prefixes make the encoding unambiguous; nothing depends on the
/// database's own text rendering.
/// </summary>
public static class AuditHash
{
    /// <summary>Length of every hash in the chain.</summary>
    public const int Length = 32;

    /// <summary>The leading tag; a new serialization would get a new tag.</summary>
    public static ReadOnlySpan<byte> Tag => "VXAUDIT1"u8;

    /// <summary>The prev_hash of the first entry.</summary>
    public static byte[] Genesis => new byte[Length];

    /// <summary>The exact bytes that are hashed.</summary>
    public static byte[] Serialize(long seq, DateTimeOffset time, string auditEvent, string subject, string facility,
        string detailsJson, ReadOnlySpan<byte> prevHash)
    {
        using var buffer = new MemoryStream(256);
        buffer.Write(Tag);
        WriteField(buffer, Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture)));
        WriteField(buffer, Encoding.ASCII.GetBytes(LedgerTime.ToUnixMicroseconds(time).ToString(CultureInfo.InvariantCulture)));
        WriteField(buffer, Encoding.UTF8.GetBytes(auditEvent));
        WriteField(buffer, Encoding.UTF8.GetBytes(subject));
        WriteField(buffer, Encoding.UTF8.GetBytes(facility));
        WriteField(buffer, Encoding.UTF8.GetBytes(detailsJson));
        WriteField(buffer, prevHash);
        return buffer.ToArray();
    }

    /// <summary>SHA-256 over <see cref="Serialize"/>.</summary>
    public static byte[] Compute(long seq, DateTimeOffset time, string auditEvent, string subject, string facility,
        string detailsJson, ReadOnlySpan<byte> prevHash)
        => SHA256.HashData(Serialize(seq, time, auditEvent, subject, facility, detailsJson, prevHash));

    /// <summary>The hash an entry should carry, recomputed from its content.</summary>
    public static byte[] Compute(AuditEntry entry)
        => Compute(entry.Seq, entry.Time, entry.Event, entry.Subject, entry.Facility, entry.DetailsJson, entry.PrevHash);

    /// <summary>One length-prefixed field (4-byte big-endian length, then the bytes).</summary>
    internal static void WriteField(Stream buffer, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
