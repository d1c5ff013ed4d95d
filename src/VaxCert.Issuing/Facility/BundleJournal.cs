using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace VaxCert.Issuing.Facility;

/// <summary>
/// The signed bundle doubles as the journal of a signing run. Opening it drops a torn last line (a run killed mid-write
/// leaves at most one line without its newline) and collects the record ids already signed, so a rerun skips them.
/// Batches are appended with one write and fsync'd before the run moves on, so a crash never loses a finished batch.
/// Opening streams the bundle line by line: a resumed million-row bundle costs its record-id digests, not its size.
/// </summary>
public sealed class BundleJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly RecordIdSet _signed;

    private BundleJournal(FileStream stream, RecordIdSet signed, bool repaired)
    {
        _stream = stream;
        _signed = signed;
        RepairedTornLine = repaired;
    }

    /// <summary>True when opening dropped an incomplete last line.</summary>
    public bool RepairedTornLine { get; }

    /// <summary>How many record ids the bundle holds.</summary>
    public int Count => _signed.Count;

    /// <summary>Whether <paramref name="recordId"/> is already in the bundle.</summary>
    public bool Contains(string recordId) => _signed.Contains(recordId);

    /// <summary>Opens (creating if needed) the bundle at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A complete line is not a bundle entry (the file was edited or is not a bundle).</exception>
    public static BundleJournal Open(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var signed = new RecordIdSet();
            var completeBytes = ReadCompleteLines(stream, signed);
            var repaired = completeBytes != stream.Length;
            if (repaired) stream.SetLength(completeBytes);
            stream.Seek(0, SeekOrigin.End);
            if (repaired) stream.Flush(flushToDisk: true);
            return new BundleJournal(stream, signed, repaired);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // Parses every newline-terminated line from the start; returns the length of the complete lines.
    private static long ReadCompleteLines(FileStream stream, RecordIdSet signed)
    {
        var buffer = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>(1024);
        long offset = 0, completeBytes = 0, lineNo = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            while (true)
            {
                var newline = chunk.IndexOf((byte)'\n');
                if (newline < 0) { line.Write(chunk); break; }
                line.Write(chunk[..newline]);
                completeBytes = offset + (read - chunk.Length) + newline + 1;
                lineNo++;
                var text = Encoding.UTF8.GetString(line.WrittenSpan);
                line.Clear();
                chunk = chunk[(newline + 1)..];
                if (string.IsNullOrWhiteSpace(text)) continue;
                var entry = BundleEntry.TryParse(text)
                            ?? throw new InvalidDataException($"bundle line {lineNo} is not a signed entry; refusing to append to it");
                signed.Add(entry.RecordId);
            }
            offset += read;
        }
        return completeBytes;
    }

    /// <summary>Appends the entries as one write, then fsyncs.</summary>
    public void Append(IReadOnlyList<BundleEntry> entries)
    {
        if (entries.Count == 0) return;
        var sb = new StringBuilder(entries.Count * 512);
        foreach (var e in entries) sb.Append(e.ToJsonLine()).Append('\n');
        _stream.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        _stream.Flush(flushToDisk: true);
        foreach (var e in entries) _signed.Add(e.RecordId);
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>
/// A set of record ids kept as the first 16 bytes of their SHA-256: about 40 bytes per id whatever its length, so a
/// million-row run remembers its ids in tens of megabytes. A false "already seen" needs a 128-bit collision.
/// </summary>
public sealed class RecordIdSet
{
    private readonly HashSet<UInt128> _digests = [];

    /// <summary>How many ids the set holds.</summary>
    public int Count => _digests.Count;

    /// <summary>Adds <paramref name="recordId"/>; false when it was already there.</summary>
    public bool Add(string recordId) => _digests.Add(Digest(recordId));

    /// <summary>Whether <paramref name="recordId"/> is in the set.</summary>
    public bool Contains(string recordId) => _digests.Contains(Digest(recordId));

    private static UInt128 Digest(string recordId)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(recordId.Length);
        var utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(recordId, utf8)], hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
