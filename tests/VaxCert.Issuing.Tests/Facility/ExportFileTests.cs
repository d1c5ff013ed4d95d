using System.Text;
using VaxCert.Issuing.Facility;
using VaxCert.Testing;

namespace VaxCert.Issuing.Tests.Facility;

/// <summary>Whole-file checks of a facility export and the text normalisation every cell goes through.</summary>
public sealed class ExportFileTests
{
    private static string Write(string name, string text)
    {
        var path = Path.Combine(RepoPaths.NewTempDir("export"), name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void A_missing_file_is_a_problem_not_an_exception()
    {
        var file = ExportFile.Open(Path.Combine(RepoPaths.NewTempDir("export"), "none.csv"));
        Assert.Equal(ExportProblemKind.FileNotFound, file.Problem?.Kind);
        Assert.Throws<InvalidOperationException>(() => file.ReadRows());
    }

    [Fact]
    public void An_empty_file_and_a_repeated_column_are_problems()
    {
        Assert.Equal(ExportProblemKind.Empty, ExportFile.Open(Write("e.csv", "")).Problem?.Kind);
        var header = string.Join(",", ExportColumns.All) + ",sex";
        var duplicate = ExportFile.Open(Write("d.csv", header + "\n"));
        Assert.Equal(ExportProblemKind.DuplicateColumns, duplicate.Problem?.Kind);
        Assert.Contains("sex", duplicate.Problem!.MessageEn);
    }

    [Fact]
    public void Targeted_disease_is_the_only_optional_column_and_order_does_not_matter()
    {
        var columns = ExportColumns.All.Where(c => c != ExportColumns.TargetedDisease).Reverse().ToArray();
        var file = ExportFile.Open(Write("o.csv", string.Join(",", columns).ToUpperInvariant() + "\r" + string.Join(",", columns.Select(c => c + "-v")) + "\r"));
        Assert.Null(file.Problem);
        var row = Assert.Single(file.ReadRows());
        Assert.Equal("record_id-v", row.Get(ExportColumns.RecordId));
        Assert.Equal(1, file.CountRows());
    }

    [Fact]
    public void Json_lines_stream_and_count_without_a_header()
    {
        var file = ExportFile.Open(Write("x.jsonl", "{\"record_id\":\"A\",\"dose_number\":2}\n\n[1]\n{broken\n"));
        Assert.Null(file.Problem);
        var rows = file.ReadRows().ToList();
        Assert.Equal(3, file.CountRows());
        Assert.Equal(["A", ""], rows.Select(r => r.Get(ExportColumns.RecordId)).Take(2));
        Assert.Equal("2", rows[0].Get(ExportColumns.DoseNumber));
        Assert.NotNull(rows[1].FormatProblem);
        Assert.NotNull(rows[2].FormatProblem);
    }

    [Theory]
    [InlineData("Nữ", "Nữ")]
    [InlineData("  Thị \t Minh   Khai ", "Thị Minh Khai")]
    [InlineData("An", "An")]
    [InlineData("", "")]
    public void Text_is_NFC_with_single_spaces(string raw, string expected)
    {
        var cleaned = ExportText.Clean(raw.Normalize(NormalizationForm.FormD));
        Assert.Equal(expected.Normalize(NormalizationForm.FormC), cleaned);
        Assert.True(cleaned.IsNormalized(NormalizationForm.FormC));
    }
}
