using System.Text;

namespace VaxCert.Issuing.Facility;

/// <summary>
/// The signed bundle doubles as the journal of a signing run. Opening it drops a torn last line (a run killed mid-write
/// leaves at most one line without its newline) and collects the record ids already signed, so a rerun skips them.
/// Batches are appended with one write and fsync'd before the run moves on, so a crash never loses a finished batch.
/// </summary>
public sealed class BundleJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly HashSet<string> _signed;

    private BundleJournal(FileStream stream, HashSet<string> signed, bool repaired)
    {
        _stream = stream;
        _signed = signed;
        RepairedTornLine = repaired;
    }

    /// <summary>True when opening dropped an incomplete last line.</summary>
    public bool RepairedTornLine { get; }

    /// <summary>Record ids already in the bundle.</summary>
    public IReadOnlySet<string> SignedRecordIds => _signed;

    /// <summary>Opens (creating if needed) the bundle at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A complete line is not a bundle entry (the file was edited or is not a bundle).</exception>
    public static BundleJournal Open(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            var repaired = end != bytes.Length;
            if (repaired) stream.SetLength(end);
            var signed = new HashSet<string>(StringComparer.Ordinal);
            var lineNo = 0;
            foreach (var line in System.Text.Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lineNo++;
                var entry = BundleEntry.TryParse(line) ?? throw new InvalidDataException($"bundle line {lineNo} is not a signed entry; refusing to append to it");
                signed.Add(entry.RecordId);
            }
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

    /// <summary>Appends the entries as one write, then fsyncs.</summary>
    public void Append(IReadOnlyList<BundleEntry> entries)
    {
        if (entries.Count == 0) return;
        var sb = new StringBuilder(entries.Count * 512);
        foreach (var e in entries) sb.Append(e.ToJsonLine()).Append('\n');
        _stream.Write(System.Text.Encoding.UTF8.GetBytes(sb.ToString()));
        _stream.Flush(flushToDisk: true);
        foreach (var e in entries) _signed.Add(e.RecordId);
    }

    public void Dispose() => _stream.Dispose();
}
