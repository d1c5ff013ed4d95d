using System.Text.Json;
using VaxCert.Core.Dcc;
using VaxCert.Testing;
using EuValueSets = VaxCert.Core.Dcc.ValueSets;

namespace VaxCert.Core.Tests.ValueSetData;

public class ValueSetsTests
{
    private static readonly string[] Shipped =
    [
        "disease-agent-targeted.json", "vaccine-prophylaxis.json", "vaccine-medicinal-product.json", "vaccine-mah-manf.json",
        "country-2-codes.json", "vaccine-encoding-instructions.json", "test-type.json", "test-result.json",
    ];

    private static string Reference(string file) => Path.Combine(RepoPaths.EuDcc, "valuesets", file);

    public static IEnumerable<object[]> ShippedFiles() => Shipped.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Shipped_copy_and_embedded_resource_are_byte_identical_to_the_reference(string file)
    {
        var reference = File.ReadAllBytes(Reference(file));
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(RepoPaths.Root, "src", "VaxCert.Core", "Data", "valuesets", file)));
        Assert.Equal(reference, EuValueSets.ReadResource(file));
    }

    [Fact]
    public void Every_embedded_resource_is_one_of_the_checked_files() =>
        Assert.Equal(Shipped.Order(), EuValueSets.ResourceNames.Select(n => n["VaxCert.Core.Data.".Length..]).Order());

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Loaded_codes_match_the_reference_json(string file)
    {
        if (file == "vaccine-encoding-instructions.json")
            return; // Different shape; covered by Encoding_instructions_match_the_reference_json.
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference(file)));
        var id = doc.RootElement.GetProperty("valueSetId").GetString()!;
        var set = EuValueSets.Default.Get(id);
        var expected = doc.RootElement.GetProperty("valueSetValues").EnumerateObject()
            .Select(p => (p.Name, p.Value.GetProperty("display").GetString(), p.Value.GetProperty("active").GetBoolean())).ToList();
        Assert.Equal(expected.Order(), set.Entries.Values.Select(e => (e.Code, (string?)e.Display, e.Active)).Order());
    }

    [Fact]
    public void Encoding_instructions_match_the_reference_json()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Reference("vaccine-encoding-instructions.json")));
        var rows = doc.RootElement.GetProperty("valueSetValues").EnumerateObject().ToList();
        Assert.Equal(rows.Select(r => r.Name), EuValueSets.Default.EncodingInstructions.Select(i => i.Name));
    }

    [Fact]
    public void Lookups_answer_from_the_data()
    {
        var sets = EuValueSets.Default;
        Assert.True(sets.Contains(ValueSetIds.Country, "VN"));
        Assert.Equal("Viet Nam", sets.DisplayName(ValueSetIds.Country, "VN"));
        Assert.False(sets.Contains(ValueSetIds.Country, "XY"));
        Assert.False(sets.Contains(ValueSetIds.Country, "vn"));
        Assert.Equal("Comirnaty", sets.DisplayName(ValueSetIds.VaccineMedicinalProduct, "EU/1/20/1528"));
        Assert.True(sets.IsActive(ValueSetIds.VaccineMedicinalProduct, "EU/1/20/1528"));
        Assert.True(sets.Contains(ValueSetIds.VaccineMedicinalProduct, "NVX-CoV2373"));
        Assert.False(sets.IsActive(ValueSetIds.VaccineMedicinalProduct, "NVX-CoV2373"));
        Assert.False(sets.IsActive(ValueSetIds.VaccineProphylaxis, "J07BX03"));
        Assert.True(sets.Contains(ValueSetIds.DiseaseAgentTargeted, "840539006"));
        Assert.True(sets.Contains(ValueSetIds.TestResult, "260415000"));
        Assert.Null(sets.DisplayName(ValueSetIds.VaccineManufacturer, null));
        Assert.Throws<ArgumentException>(() => sets.Get("no-such-set"));
    }

    [Theory]
    [InlineData("EU/1/20/1528", "ORG-100030215", "1119349007", CombinationCheck.Consistent)]
    [InlineData("EU/1/20/1528", "ORG-100030215", "28531000087107", CombinationCheck.Consistent)]
    [InlineData("EU/1/20/1528", "ORG-100031184", "1119349007", CombinationCheck.ManufacturerMismatch)]
    [InlineData("EU/1/20/1528", "ORG-100030215", "1157024006", CombinationCheck.VaccineTypeMismatch)]
    [InlineData("Abdala", "CIGB", "28531000087107", CombinationCheck.Consistent)]
    [InlineData("Abdala", "CIGB", "1162643001", CombinationCheck.VaccineTypeMismatch)]
    [InlineData("NVX-CoV2373", "ORG-100032020", "1162643001", CombinationCheck.Consistent)]
    [InlineData("no-such-product", "CIGB", "28531000087107", CombinationCheck.ProductNotListed)]
    [InlineData(null, null, null, CombinationCheck.ProductNotListed)]
    public void Combinations_follow_annex_a(string? mp, string? ma, string? vp, CombinationCheck expected) =>
        Assert.Equal(expected, EuValueSets.Default.CheckCombination(mp, ma, vp));

    [Fact]
    public void Every_annex_a_row_uses_codes_from_the_value_sets()
    {
        var sets = EuValueSets.Default;
        foreach (var row in sets.EncodingInstructions)
        {
            Assert.True(sets.Contains(ValueSetIds.VaccineMedicinalProduct, row.Product), row.Name);
            Assert.True(sets.Contains(ValueSetIds.VaccineManufacturer, row.Manufacturer), row.Name);
            Assert.All(row.VaccineTypes, vp => Assert.True(sets.Contains(ValueSetIds.VaccineProphylaxis, vp), $"{row.Name}: {vp}"));
        }
    }
}
