using System.Text;
using System.Text.Json;
using VaxCert.Issuing.Csv;

namespace VaxCert.Issuing.Facility;

/// <summary>Why a whole export file cannot be read. Stable names: tests and docs/facility.md refer to them.</summary>
public enum ExportProblemKind
{
    /// <summary>The file does not exist.</summary>
    FileNotFound,
    /// <summary>The file exists but cannot be opened (permissions, a folder, a lock).</summary>
    Unreadable,
    /// <summary>A CSV export without a header row.</summary>
    Empty,
    /// <summary>The CSV header lacks required columns (often: another separator than the comma).</summary>
    MissingColumns,
    /// <summary>The CSV header names a column twice.</summary>
    DuplicateColumns,
}

/// <summary>One file-level problem, for facility staff in Vietnamese and English. Stops the run before any row is read.</summary>
public sealed record ExportProblem(ExportProblemKind Kind, string MessageVi, string MessageEn);

/// <summary>
/// A facility export: CSV (RFC 4180, see <see cref="CsvRecordReader"/>; UTF-8 with or without BOM; header row required)
/// or JSON lines (.jsonl/.ndjson/.json: one object per line, string or number values). <see cref="Open"/> checks what can
/// be checked once for the whole file (it exists, the CSV header names every required column once), so that a
/// semicolon-separated or truncated export is one clear <see cref="Problem"/>, not an error on every row.
/// <see cref="ReadRows"/> then streams: one row in memory at a time, whatever the size of the export. Never throws on bad
/// content: an unreadable line becomes a row with <see cref="ExportRow.FormatProblem"/>.
/// </summary>
public sealed class ExportFile
{
    /// <summary>Columns a CSV header must have (targeted_disease is optional and defaults to COVID-19).</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
        ExportColumns.All.Where(c => !ExportColumns.Optional.Contains(c)).ToArray();

    private ExportFile(string path, bool jsonLines, ExportProblem? problem)
    {
        Path = path;
        IsJsonLines = jsonLines;
        Problem = problem;
    }

    /// <summary>The export's path.</summary>
    public string Path { get; }

    /// <summary>JSON lines rather than CSV (by extension).</summary>
    public bool IsJsonLines { get; }

    /// <summary>Why the file cannot be used at all, or null.</summary>
    public ExportProblem? Problem { get; }

    /// <summary>Opens <paramref name="path"/> and checks it as a whole. Never throws for a missing or malformed file.</summary>
    public static ExportFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var jsonLines = System.IO.Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" or ".json";
        if (!File.Exists(path))
            return new ExportFile(path, jsonLines, new ExportProblem(ExportProblemKind.FileNotFound,
                $"không tìm thấy tệp xuất dữ liệu '{path}'", $"the export file '{path}' does not exist"));
        try
        {
            if (jsonLines)
            {
                using var probe = File.OpenRead(path);
                return new ExportFile(path, true, null);
            }
            using var reader = OpenText(path);
            var header = new CsvRecordReader(reader).Read();
            return new ExportFile(path, false, CheckHeader(header));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ExportFile(path, jsonLines, new ExportProblem(ExportProblemKind.Unreadable,
                $"không mở được tệp xuất dữ liệu '{path}'", $"the export file '{path}' cannot be opened"));
        }
    }

    /// <summary>The rows, streamed in file order.</summary>
    /// <exception cref="InvalidOperationException">The file has a <see cref="Problem"/>.</exception>
    public IEnumerable<ExportRow> ReadRows()
    {
        if (Problem is not null) throw new InvalidOperationException("the export has a file-level problem: " + Problem.MessageEn);
        return IsJsonLines ? ReadJsonLines() : ReadCsv();
    }

    /// <summary>How many rows <see cref="ReadRows"/> will give (one streaming pass, for progress display).</summary>
    public long CountRows()
    {
        if (Problem is not null) return 0;
        if (IsJsonLines) return File.ReadLines(Path, Encoding.UTF8).LongCount(l => !string.IsNullOrWhiteSpace(l));
        using var reader = OpenText(Path);
        var records = new CsvRecordReader(reader);
        long count = 0;
        records.Read(); // header
        while (records.Read() is { } cells)
            if (!IsBlank(cells)) count++;
        return count;
    }

    private static StreamReader OpenText(string path) =>
        new(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });

    private static ExportProblem? CheckHeader(List<string>? header)
    {
        if (header is null || IsBlank(header))
            return new ExportProblem(ExportProblemKind.Empty, "tệp xuất dữ liệu trống: thiếu dòng tiêu đề",
                "the export is empty: there is no header row");
        var names = header.Select(ColumnName).ToList();
        var duplicates = names.Where(n => n.Length > 0).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            return new ExportProblem(ExportProblemKind.DuplicateColumns,
                $"dòng tiêu đề có cột bị lặp: {string.Join(", ", duplicates)}",
                $"the header names these columns more than once: {string.Join(", ", duplicates)}");
        var missing = RequiredColumns.Where(c => !names.Contains(c)).ToList();
        if (missing.Count == 0) return null;
        var (separatorVi, separatorEn) = SeparatorSeen(string.Join(",", header));
        return new ExportProblem(ExportProblemKind.MissingColumns,
            $"dòng tiêu đề thiếu {missing.Count} cột bắt buộc: {string.Join(", ", missing)}; dấu phân cách thấy trong dòng tiêu đề: " +
            $"{separatorVi}. Hãy lưu tệp dạng CSV phân cách bằng dấu phẩy (UTF-8) với đủ các cột.",
            $"the header lacks {missing.Count} required column(s): {string.Join(", ", missing)}; separator seen in the header: " +
            $"{separatorEn}. Save the export as comma-separated CSV (UTF-8) with every column.");
    }

    // What the header is most likely separated by: the commonest of the usual spreadsheet separators.
    private static (string Vi, string En) SeparatorSeen(string headerLine)
    {
        var candidates = new (char Separator, string Vi, string En)[]
        {
            (',', "',' (dấu phẩy)", "',' (comma)"), (';', "';' (dấu chấm phẩy)", "';' (semicolon)"),
            ('\t', "tab", "tab"), ('|', "'|' (gạch đứng)", "'|' (vertical bar)"),
        };
        var best = candidates.MaxBy(c => headerLine.Count(ch => ch == c.Separator));
        return headerLine.Contains(best.Separator) ? (best.Vi, best.En) : ("không có (chỉ một cột)", "none (a single column)");
    }

    private static string ColumnName(string cell) => cell.Trim().Trim('\uFEFF').ToLowerInvariant();

    private static bool IsBlank(List<string> cells) => cells.Count == 1 && cells[0].Trim().Length == 0;

    private IEnumerable<ExportRow> ReadCsv()
    {
        using var reader = OpenText(Path);
        var records = new CsvRecordReader(reader);
        var names = records.Read()!.Select(ColumnName).ToArray();
        long row = 0;
        while (records.Read() is { } cells)
        {
            row++;
            if (IsBlank(cells)) continue;
            if (cells.Count != names.Length)
            {
                yield return new ExportRow(row, new Dictionary<string, string>(), new RowFormatProblem(
                    $"dòng có {cells.Count} ô, dòng tiêu đề có {names.Length} cột", $"the row has {cells.Count} cells, the header {names.Length}"));
                continue;
            }
            var fields = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
                if (names[i].Length > 0) fields[names[i]] = cells[i];
            yield return new ExportRow(row, fields);
        }
    }

    // JSON lines; blank lines are skipped but still counted.
    private IEnumerable<ExportRow> ReadJsonLines()
    {
        long line = 0;
        foreach (var text in File.ReadLines(Path, Encoding.UTF8))
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
                return new ExportRow(line, new Dictionary<string, string>(), new RowFormatProblem("dòng không phải là một đối tượng JSON", "not a JSON object"));
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
            return new ExportRow(line, new Dictionary<string, string>(), new RowFormatProblem("dòng không phải JSON hợp lệ", "the line is not valid JSON"));
        }
    }
}
