using VaxCert.Testing;

namespace VaxCert.Core.Tests.Interop;

/// <summary>
/// Proves zbarimg reads QR codes to their exact text (no added newline, no charset change) on the EU reference PNGs,
/// so that a mismatch on VaxCert's own PNGs means VaxCert's rendering, not the reader.
/// </summary>
public sealed class ZbarEuVectorTests
{
    public static TheoryData<string> VectorsWithReadablePicture()
    {
        var data = new TheoryData<string>();
        foreach (var vector in EuVector.All())
            if (vector.Field("2DCODE") is not null && vector.Field("PREFIX") is not null
                && vector.Expected("EXPECTEDPICTUREDECODE") != false)
                data.Add(vector.RelativePath);
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorsWithReadablePicture))]
    public void Zbar_reads_the_EU_vector_picture_to_exactly_its_PREFIX(string vectorPath)
    {
        var vector = EuVector.Load(vectorPath);

        var text = Zbar.DecodePng(Convert.FromBase64String(vector.Field("2DCODE")!));

        Assert.Equal(vector.Field("PREFIX"), text);
    }

    [Fact]
    public void The_readable_set_is_the_whole_developer_set_but_Q1()
    {
        // README §4.8: every 2DCODE PNG decodes except Q1; a shrinking theory would otherwise pass silently.
        Assert.True(VectorsWithReadablePicture().Count >= 70, $"only {VectorsWithReadablePicture().Count} vectors found");
    }

    [Fact]
    public void Zbar_reads_a_standalone_EU_png_file_to_its_vectors_PREFIX()
    {
        var text = Zbar.Decode(Path.Combine(RepoPaths.EuTestData, "CH", "png", "1.png"));

        Assert.Equal(EuVector.Load(Path.Combine("CH", "2DCode", "raw", "1.json")).Field("PREFIX"), text);
        Assert.False(text.EndsWith('\n'));
    }

    [Fact]
    public void Zbar_reports_the_unreadable_Q1_picture_as_not_decoded()
    {
        var vector = EuVector.Load(Path.Combine("common", "2DCode", "raw", "Q1.json"));
        Assert.False(vector.Expected("EXPECTEDPICTUREDECODE"));
        var path = Path.Combine(RepoPaths.NewTempDir("zbar-q1"), "q1.png");
        File.WriteAllBytes(path, Convert.FromBase64String(vector.Field("2DCODE")!));

        Assert.False(Zbar.TryDecode(path, out var text, out var diagnostics));
        Assert.Equal("", text);
        Assert.NotEqual("", diagnostics);
    }
}
