using System.Text;
using System.Text.Json;

namespace VaxCert.Issuing.Facility;

/// <summary>
/// Reads a facility export: CSV (RFC 4180: comma-separated, double-quoted cells may hold commas, quotes as "" and line
/// breaks; UTF-8 with or without BOM; header row required) or JSON lines (one object per line, string or number values).
/// Never throws on bad content: an unreadable line becomes a row with <see cref="ExportRow.FormatProblem"/>.
/// </summary>
public static class ExportReader
{
    /// <summary>Reads by extension: .jsonl/.ndjson/.json as JSON lines, anything else as CSV.</summary>
    public static IEnumerable<ExportRow> Read(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".jsonl" or ".ndjson" or ".json" ? ReadJsonLines(path) : ReadCsv(path);
    }

    /// <summary>JSON lines; blank lines are skipped but still counted.</summary>
    public static IEnumerable<ExportRow> ReadJsonLines(string path)
    {
        long line = 0;
        foreach (var text in File.ReadLines(path, System.Text.Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return ParseJsonLine(line, text);
        }
    }

    private static ExportRow ParseJsonLine(long line, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return new ExportRow(line, new Dictionary<string, string>(), "not a JSON object");
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.Null => "",
                    _ => p.Value.GetRawText(),
                };
            return new ExportRow(line, fields);
        }
        catch (JsonException)
        {
            return new ExportRow(line, new Dictionary<string, string>(), "the line is not valid JSON");
        }
    }

    /// <summary>CSV with a header row.</summary>
    public static IEnumerable<ExportRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = ReadRecord(reader);
        if (header is null) yield break;
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        long row = 0;
        while (ReadRecord(reader) is { } cells)
        {
            row++;
            if (cells.Count == 1 && cells[0].Length == 0) continue; // blank line
            if (cells.Count != names.Length)
            {
                yield return new ExportRow(row, new Dictionary<string, string>(),
                    $"the row has {cells.Count} cells, the header {names.Length}");
                continue;
            }
            var fields = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++) fields[names[i]] = cells[i];
            yield return new ExportRow(row, fields);
        }
    }

    // One CSV record (may span lines inside quotes); null at end of input.
    private static List<string>? ReadRecord(TextReader reader)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (!any) return null;
                cells.Add(cell.ToString());
                return cells;
            }
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch != '"') { cell.Append(ch); continue; }
                if (reader.Peek() == '"') { reader.Read(); cell.Append('"'); }
                else inQuotes = false;
                continue;
            }
            switch (ch)
            {
                case '"': inQuotes = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n': cells.Add(cell.ToString()); return cells;
                default: cell.Append(ch); break;
            }
        }
    }
}
