using System.Text;

namespace VaxCert.Issuing.Csv;

/// <summary>
/// Reads RFC 4180 records one at a time from a text stream: comma-separated, double-quoted cells may hold commas, quotes
/// as "" and line breaks. A record ends at LF, CRLF or a lone CR, so "CSV (Macintosh)" exports (CR only) read the same as
/// Windows and Unix ones. Holds one record in memory, whatever the size of the file.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _cell = new();

    /// <summary>The next record's cells, or null at the end of the input. A blank line is one empty cell.</summary>
    public List<string>? Read()
    {
        var cells = new List<string>();
        _cell.Clear();
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (!any) return null;
                cells.Add(_cell.ToString());
                return cells;
            }
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch != '"') { _cell.Append(ch); continue; }
                if (reader.Peek() == '"') { reader.Read(); _cell.Append('"'); }
                else inQuotes = false;
                continue;
            }
            switch (ch)
            {
                case '"': inQuotes = true; break;
                case ',': cells.Add(_cell.ToString()); _cell.Clear(); break;
                case '\r':
                    if (reader.Peek() == '\n') reader.Read();
                    cells.Add(_cell.ToString());
                    return cells;
                case '\n': cells.Add(_cell.ToString()); return cells;
                default: _cell.Append(ch); break;
            }
        }
    }
}
