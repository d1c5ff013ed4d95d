using System.Text;

namespace VaxCert.Issuing.Csv;

/// <summary>
/// The one way VaxCert writes a CSV file (rejection reports, refusals). Rows stream to a temporary file beside the target,
/// which <see cref="Commit"/> renames into place, so a crash or an exception never leaves a half-written report; disposing
/// without a commit deletes the temporary file. UTF-8 with BOM (Excel reads Vietnamese correctly), "\n" line ends, RFC
/// 4180 quoting. Every cell is passed through <see cref="Neutralise"/>: a cell that a spreadsheet would run as a formula
/// cannot come out of this writer, whatever a facility export or a bundle put in it.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly StreamWriter _writer;
    private readonly int _columns;
    private bool _committed;

    /// <summary>Starts <paramref name="path"/> (not touched until <see cref="Commit"/>) with its header row.</summary>
    public CsvWriter(string path, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        _path = path;
        _temporary = path + ".tmp";
        _columns = header.Count;
        _writer = new StreamWriter(_temporary, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        WriteRow(header);
    }

    /// <summary>Appends one row; it must have as many cells as the header.</summary>
    public void WriteRow(IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ObjectDisposedException.ThrowIf(_committed, this);
        if (cells.Count != _columns)
            throw new ArgumentException($"a row needs {_columns} cells, not {cells.Count}", nameof(cells));
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) _writer.Write(',');
            _writer.Write(Format(cells[i]));
        }
        _writer.Write('\n');
    }

    /// <summary>Flushes to disk and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _writer.Flush();
        if (_writer.BaseStream is FileStream fs) fs.Flush(flushToDisk: true);
        _writer.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _committed = true;
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> ran.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _writer.Dispose();
        try { File.Delete(_temporary); }
        catch (IOException) { /* best effort: the target was never touched */ }
        _committed = true;
    }

    /// <summary>One cell as written: neutralised, then quoted when it holds a comma, quote, CR, LF or edge spaces.</summary>
    public static string Format(string? cell)
    {
        var text = Neutralise(cell ?? "");
        var quote = text.Length > 0 && (text[0] == ' ' || text[^1] == ' ') || text.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        return quote ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// Spreadsheet formula injection (OWASP "CSV injection"): Excel, LibreOffice and Google Sheets run a cell that starts
    /// with =, +, -, @, a tab or a carriage return as a formula. Such a cell gets a leading apostrophe, which every one of
    /// them shows as text; nothing else changes. Numbers we write are never negative, so none is altered.
    /// </summary>
    public static string Neutralise(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;
}
