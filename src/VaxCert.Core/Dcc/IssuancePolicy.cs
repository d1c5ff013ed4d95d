using System.Text.Json;
using System.Text.Json.Serialization;

namespace VaxCert.Core.Dcc;

/// <summary>A vaccine Viet Nam allows on certificates, with its EU codes.</summary>
/// <param name="Name">Human name, e.g. "Pfizer-BioNTech Comirnaty".</param>
/// <param name="Product">v.mp, from vaccine-medicinal-product.json.</param>
/// <param name="Manufacturer">v.ma, from vaccine-mah-manf.json.</param>
/// <param name="VaccineTypes">Allowed v.vp codes, from vaccine-prophylaxis.json; the first is the specific one to prefer.</param>
public sealed record ApprovedVaccine(string Name, string Product, string Manufacturer, IReadOnlyList<string> VaccineTypes);

/// <summary>
/// What the Ministry allows on a certificate beyond the EU rules: which vaccines, and the dose limits. Loadable from JSON
/// (same property names as here, camelCase) so a new licence does not need a release.
/// </summary>
public sealed record IssuancePolicy
{
    /// <summary>The vaccines that may be certified.</summary>
    public IReadOnlyList<ApprovedVaccine> Vaccines { get; init; } = [];

    /// <summary>Highest dose number (v.dn). The EU schema capped dn at 9 up to 1.2.1.</summary>
    public int MaxDoseNumber { get; init; } = 9;

    /// <summary>Highest total doses in a series (v.sd).</summary>
    public int MaxSeriesDoses { get; init; } = 9;

    /// <summary>No vaccination before this date is plausible (the first COVID-19 vaccinations were in December 2020).</summary>
    public DateOnly EarliestVaccinationDate { get; init; } = new(2020, 12, 1);

    /// <summary>
    /// The eight COVID-19 vaccines licensed in Viet Nam, with codes looked up in the EU value sets (release 2.12.0). Each
    /// lists its specific vp first, then the generic "COVID-19 vaccine" code 28531000087107 that Annex A also allows;
    /// Abdala has only the generic code in Annex A.
    /// </summary>
    public static IssuancePolicy Default { get; } = new()
    {
        Vaccines =
        [
            new("AstraZeneca Vaxzevria", "EU/1/21/1529", "ORG-100001699", ["29061000087103", "28531000087107"]),
            new("Gamaleya Sputnik V", "Sputnik-V", "Gamaleya-Research-Institute", ["29061000087103", "28531000087107"]),
            new("Sinopharm BBIBP-CorV (Vero Cell)", "BBIBP-CorV", "ORG-100020693", ["1157024006", "28531000087107"]),
            new("Pfizer-BioNTech Comirnaty", "EU/1/20/1528", "ORG-100030215", ["1119349007", "28531000087107"]),
            new("Moderna Spikevax", "EU/1/20/1507", "ORG-100031184", ["1119349007", "28531000087107"]),
            new("Janssen Jcovden", "EU/1/20/1525", "ORG-100001417", ["29061000087103", "28531000087107"]),
            new("Hayat-Vax", "Hayat-Vax", "ORG-100023050", ["1157024006", "28531000087107"]),
            new("Abdala", "Abdala", "CIGB", ["28531000087107"]),
        ],
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The approved vaccine with product code <paramref name="mp"/>, or null.</summary>
    public ApprovedVaccine? FindVaccine(string? mp) => Vaccines.FirstOrDefault(v => v.Product == mp);

    /// <summary>Serialises the policy (the format <see cref="FromJson"/> reads).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Reads a policy file. Configuration is operator input, so problems come back as messages rather than exceptions:
    /// malformed JSON, unknown properties, missing codes, and codes absent from <paramref name="valueSets"/>.
    /// </summary>
    public static IssuancePolicyLoadResult FromJson(string json, ValueSets valueSets)
    {
        IssuancePolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize<IssuancePolicy>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            return new IssuancePolicyLoadResult(null, [$"The policy is not valid JSON for this format: {e.Message}"]);
        }
        if (policy is null)
            return new IssuancePolicyLoadResult(null, ["The policy JSON is null."]);
        var problems = policy.FindProblems(valueSets);
        return new IssuancePolicyLoadResult(problems.Count == 0 ? policy : null, problems);
    }

    /// <summary>Every inconsistency between this policy and the EU value sets (empty when the policy is usable).</summary>
    public IReadOnlyList<string> FindProblems(ValueSets valueSets)
    {
        var problems = new List<string>();
        if (MaxDoseNumber < 1 || MaxSeriesDoses < 1)
            problems.Add("maxDoseNumber and maxSeriesDoses must be at least 1.");
        if (Vaccines is null || Vaccines.Count == 0)
        {
            problems.Add("The policy lists no vaccines.");
            return problems;
        }
        foreach (var v in Vaccines)
        {
            var label = v?.Name ?? "(unnamed)";
            if (v is null || v.VaccineTypes is null || v.VaccineTypes.Count == 0)
            {
                problems.Add($"{label}: product, manufacturer and at least one vaccine type are required.");
                continue;
            }
            if (!valueSets.IsActive(ValueSetIds.VaccineMedicinalProduct, v.Product))
                problems.Add($"{label}: mp '{v.Product}' is not an active code in {ValueSetIds.VaccineMedicinalProduct}.");
            if (!valueSets.IsActive(ValueSetIds.VaccineManufacturer, v.Manufacturer))
                problems.Add($"{label}: ma '{v.Manufacturer}' is not an active code in {ValueSetIds.VaccineManufacturer}.");
            foreach (var vp in v.VaccineTypes)
            {
                if (!valueSets.IsActive(ValueSetIds.VaccineProphylaxis, vp))
                    problems.Add($"{label}: vp '{vp}' is not an active code in {ValueSetIds.VaccineProphylaxis}.");
                else if (valueSets.CheckCombination(v.Product, v.Manufacturer, vp) is CombinationCheck.ManufacturerMismatch
                         or CombinationCheck.VaccineTypeMismatch)
                    problems.Add($"{label}: mp/ma/vp '{v.Product}'/'{v.Manufacturer}'/'{vp}' contradicts the encoding instructions.");
            }
        }
        foreach (var duplicate in Vaccines.Where(v => v is not null).GroupBy(v => v.Product).Where(g => g.Count() > 1))
            problems.Add($"mp '{duplicate.Key}' is listed more than once.");
        return problems;
    }
}

/// <summary>Outcome of <see cref="IssuancePolicy.FromJson"/>: the policy, or null with the reasons.</summary>
public sealed record IssuancePolicyLoadResult(IssuancePolicy? Policy, IReadOnlyList<string> Problems)
{
    /// <summary>True when the policy loaded and passed every check.</summary>
    public bool Success => Policy is not null;
}
