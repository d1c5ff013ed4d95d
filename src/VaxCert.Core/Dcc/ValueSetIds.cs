namespace VaxCert.Core.Dcc;

/// <summary>The valueSetId of each EU value set VaxCert ships (the id inside the file, not the file name).</summary>
public static class ValueSetIds
{
    /// <summary>disease-agent-targeted.json: v.tg.</summary>
    public const string DiseaseAgentTargeted = "disease-agent-targeted";
    /// <summary>vaccine-prophylaxis.json: v.vp.</summary>
    public const string VaccineProphylaxis = "sct-vaccines-covid-19";
    /// <summary>vaccine-medicinal-product.json: v.mp.</summary>
    public const string VaccineMedicinalProduct = "vaccines-covid-19-names";
    /// <summary>vaccine-mah-manf.json: v.ma.</summary>
    public const string VaccineManufacturer = "vaccines-covid-19-auth-holders";
    /// <summary>country-2-codes.json: v.co and the nationality claim.</summary>
    public const string Country = "country-2-codes";
    /// <summary>test-type.json: t.tt (verifiers only).</summary>
    public const string TestType = "covid-19-lab-test-type";
    /// <summary>test-result.json: t.tr (verifiers only).</summary>
    public const string TestResult = "covid-19-lab-result";
}
