using VaxCert.Core.Uvci;

namespace VaxCert.Core.Tests.Uvci;

public class UvciGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2021, 9, 15, 8, 30, 0, TimeSpan.FromHours(7));

    [Fact]
    public void Generated_uvcis_are_valid_vaxcert_uvcis_of_34_characters()
    {
        var generator = new UvciGenerator("VN", new FixedTime(Start));
        var uvci = generator.Next("79001");
        Assert.StartsWith("URN:UVCI:01:VN:79001/", uvci);
        Assert.Equal(34, uvci.Length);
        Assert.True(UvciFormat.Validate(uvci, UvciMode.VaxCert, "VN").IsValid);
    }

    [Fact]
    public void Later_uvcis_sort_after_earlier_ones()
    {
        // One second per call: the time prefix must grow, whatever the random tail.
        var generator = new UvciGenerator("VN", new FixedTime(Start, TimeSpan.FromSeconds(1)));
        var issued = Enumerable.Range(0, 500).Select(_ => generator.Next("79001")).ToList();
        Assert.Equal(issued, issued.Order(StringComparer.Ordinal));
        Assert.Equal(issued.Count, issued.Distinct().Count());
    }

    [Fact]
    public void Random_tail_varies_within_one_second()
    {
        var generator = new UvciGenerator("VN", new FixedTime(Start));
        // 50 draws from 36^5 values: a repeat has probability ~2e-5.
        var tails = Enumerable.Range(0, 50).Select(_ => generator.Next("79001")[^7..^2]).ToList();
        Assert.True(tails.Distinct().Count() >= 49);
    }

    [Theory]
    [InlineData("")]
    [InlineData("79-001")]
    [InlineData("abc")]
    public void Rejects_bad_facility_codes(string facility) =>
        Assert.Throws<ArgumentException>(() => new UvciGenerator("VN", TimeProvider.System).Next(facility));
}

public class DeterministicUvciTests
{
    private static readonly byte[] Key = "vaxcert-test-key-not-secret-0001"u8.ToArray();

    [Fact]
    public void Same_record_same_uvci_and_it_is_valid()
    {
        var derive = new DeterministicUvci("VN", Key);
        var first = derive.For("79001", "REC-000123");
        Assert.Equal(first, new DeterministicUvci("VN", Key).For("79001", "REC-000123"));
        Assert.Equal(35, first.Length);
        Assert.True(UvciFormat.Validate(first, UvciMode.VaxCert, "VN").IsValid);
    }

    [Fact]
    public void Different_record_facility_or_key_gives_a_different_uvci()
    {
        var keyed = new DeterministicUvci("VN", Key);
        var baseline = keyed.For("79001", "REC-000123");
        Assert.NotEqual(baseline, keyed.For("79001", "REC-000124"));
        Assert.NotEqual(baseline[^14..], keyed.For("79002", "REC-000123")[^14..]);
        Assert.NotEqual(baseline, new DeterministicUvci("VN").For("79001", "REC-000123"));
        // The separator keeps the split between facility and record id significant.
        Assert.NotEqual(keyed.For("A1", "2")[^14..], keyed.For("A", "12")[^14..]);
    }

    [Fact]
    public void Ten_thousand_records_of_one_facility_do_not_collide()
    {
        var derive = new DeterministicUvci("VN", Key);
        var ids = Enumerable.Range(0, 10_000).Select(i => derive.For("79001", i.ToString())).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Short_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => new DeterministicUvci("VN", new byte[8]));
}
