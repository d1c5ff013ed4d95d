using VaxCert.Core.Dcc;
using EuValueSets = VaxCert.Core.Dcc.ValueSets;

namespace VaxCert.Core.Tests.ValueSetData;

public class IssuancePolicyTests
{
    [Fact]
    public void Default_policy_is_consistent_with_the_eu_value_sets() =>
        Assert.Empty(IssuancePolicy.Default.FindProblems(EuValueSets.Default));

    // The display names as the EU value sets spell them: proves each code names the intended vaccine and holder.
    [Theory]
    [InlineData("EU/1/21/1529", "Vaxzevria", "AstraZeneca AB", "COVID-19 non-replicating viral vector vaccine")]
    [InlineData("Sputnik-V", "Sputnik-V", "Gamaleya Research Institute", "COVID-19 non-replicating viral vector vaccine")]
    [InlineData("BBIBP-CorV", "BBIBP-CorV", "China Sinopharm International Corp. - Beijing location", "Inactivated whole SARS-CoV-2 antigen vaccine")]
    [InlineData("EU/1/20/1528", "Comirnaty", "Biontech Manufacturing GmbH", "SARS-CoV-2 mRNA vaccine")]
    [InlineData("EU/1/20/1507", "Spikevax", "Moderna Biotech Spain S.L.", "SARS-CoV-2 mRNA vaccine")]
    [InlineData("EU/1/20/1525", "Jcovden", "Janssen-Cilag International", "COVID-19 non-replicating viral vector vaccine")]
    [InlineData("Hayat-Vax", "Hayat-Vax", "Gulf Pharmaceutical Industries", "Inactivated whole SARS-CoV-2 antigen vaccine")]
    [InlineData("Abdala", "Abdala", "Center for Genetic Engineering and Biotechnology", "COVID-19 vaccine")]
    public void Default_policy_lists_the_eight_vaccines_licensed_in_viet_nam(string mp, string product, string holder, string type)
    {
        var sets = EuValueSets.Default;
        var vaccine = IssuancePolicy.Default.FindVaccine(mp);
        Assert.NotNull(vaccine);
        Assert.Equal(product, sets.DisplayName(ValueSetIds.VaccineMedicinalProduct, vaccine.Product));
        Assert.Equal(holder, sets.DisplayName(ValueSetIds.VaccineManufacturer, vaccine.Manufacturer));
        Assert.Equal(type, sets.DisplayName(ValueSetIds.VaccineProphylaxis, vaccine.VaccineTypes[0]));
    }

    [Fact]
    public void Default_policy_has_eight_vaccines_and_dose_limit_nine()
    {
        Assert.Equal(8, IssuancePolicy.Default.Vaccines.Count);
        Assert.Equal(9, IssuancePolicy.Default.MaxDoseNumber);
        Assert.Equal(9, IssuancePolicy.Default.MaxSeriesDoses);
    }

    [Fact]
    public void Json_round_trip_keeps_the_policy()
    {
        var loaded = IssuancePolicy.FromJson(IssuancePolicy.Default.ToJson(), EuValueSets.Default);
        Assert.True(loaded.Success, string.Join("; ", loaded.Problems));
        Assert.Equal(IssuancePolicy.Default.ToJson(), loaded.Policy!.ToJson());
    }

    [Fact]
    public void Json_policy_can_narrow_the_list()
    {
        const string json = """
            { "vaccines": [ { "name": "Comirnaty", "product": "EU/1/20/1528", "manufacturer": "ORG-100030215",
                              "vaccineTypes": ["1119349007"] } ],
              "maxDoseNumber": 4, "maxSeriesDoses": 3, "earliestVaccinationDate": "2021-03-08" }
            """;
        var loaded = IssuancePolicy.FromJson(json, EuValueSets.Default);
        Assert.True(loaded.Success, string.Join("; ", loaded.Problems));
        Assert.Equal(4, loaded.Policy!.MaxDoseNumber);
        Assert.Equal(new DateOnly(2021, 3, 8), loaded.Policy.EarliestVaccinationDate);
        Assert.Null(loaded.Policy.FindVaccine("EU/1/20/1507"));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("null", "null")]
    [InlineData("""{ "vaccines": [] }""", "no vaccines")]
    [InlineData("""{ "vaccines": [], "surprise": 1 }""", "not valid JSON")]
    [InlineData("""{ "vaccines": [ { "name": "X", "product": "Covaxin-X", "manufacturer": "Bharat-Biotech", "vaccineTypes": ["1157024006"] } ] }""", "mp 'Covaxin-X'")]
    [InlineData("""{ "vaccines": [ { "name": "X", "product": "EU/1/20/1528", "manufacturer": "ORG-100031184", "vaccineTypes": ["1119349007"] } ] }""", "contradicts")]
    [InlineData("""{ "vaccines": [ { "name": "X", "product": "NVX-CoV2373", "manufacturer": "ORG-100032020", "vaccineTypes": ["1162643001"] } ] }""", "not an active code")]
    [InlineData("""{ "vaccines": [ { "name": "X" } ] }""", "required")]
    [InlineData("""{ "vaccines": [ null ] }""", "required")]
    public void Bad_policies_come_back_as_problems_not_exceptions(string json, string expectedFragment)
    {
        var loaded = IssuancePolicy.FromJson(json, EuValueSets.Default);
        Assert.False(loaded.Success);
        Assert.Contains(loaded.Problems, p => p.Contains(expectedFragment, StringComparison.Ordinal));
    }
}
