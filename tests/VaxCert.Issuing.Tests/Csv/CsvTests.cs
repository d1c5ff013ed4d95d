using System.Text;
using VaxCert.Issuing.Csv;
using VaxCert.Testing;

namespace VaxCert.Issuing.Tests.Csv;

/// <summary>The one CSV writer (formula neutralisation, quoting, atomic commit) and the record reader (every line end).</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+33 1 23", "'+33 1 23")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("R1", "R1")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Cells_a_spreadsheet_would_run_as_formulas_get_a_leading_apostrophe(string cell, string expected) =>
        Assert.Equal(expected, CsvWriter.Neutralise(cell));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("\r=cmd", "\"'\r=cmd\"")]
    [InlineData(" padded ", "\" padded \"")]
    public void Cells_are_quoted_only_when_they_must_be(string cell, string expected) => Assert.Equal(expected, CsvWriter.Format(cell));

    [Fact]
    public void Rows_appear_only_on_commit_and_an_abandoned_writer_leaves_nothing()
    {
        var dir = RepoPaths.NewTempDir("csv");
        var path = Path.Combine(dir, "report.csv");
        using (var abandoned = new CsvWriter(path, ["a", "b"]))
            abandoned.WriteRow(["1", "2"]);
        Assert.Empty(Directory.GetFiles(dir));

        using (var writer = new CsvWriter(path, ["a", "b"]))
        {
            writer.WriteRow(["=x", "y,z"]);
            Assert.False(File.Exists(path));
            writer.Commit();
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("a,b\n'=x,\"y,z\"\n", Encoding.UTF8.GetString(bytes[3..]));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_a_programming_error()
    {
        using var writer = new CsvWriter(Path.Combine(RepoPaths.NewTempDir("csv"), "r.csv"), ["a", "b"]);
        Assert.Throws<ArgumentException>(() => writer.WriteRow(["only one"]));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Records_end_at_LF_CRLF_or_a_lone_CR_and_quoted_breaks_stay_in_the_cell(string end)
    {
        var reader = new CsvRecordReader(new StringReader($"h1,h2{end}a,\"b{end}c\"{end}\"x\"\"y\",z{end}"));
        Assert.Equal(["h1", "h2"], reader.Read()!);
        Assert.Equal(["a", $"b{end}c"], reader.Read()!);
        Assert.Equal(["x\"y", "z"], reader.Read()!);
        Assert.Null(reader.Read());
    }
}
