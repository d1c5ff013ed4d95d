namespace VaxCert.Core.Model;

/// <summary>
/// The 11 fields of Decision 5772/QD-BYT for one vaccination certificate. Natural-language text (names) is kept as
/// written; the ICAO transliteration is derived when the EU DCC is built. Issuer text and country of vaccination are
/// configuration (<see cref="IssuerSettings"/>), not part of the record.
/// </summary>
public sealed record VaccinationRecord
{
    /// <summary>1. Full name, family part (họ), e.g. "Nguyễn". DCC nam.fn. May be empty only if GivenName is set.</summary>
    public string FamilyName { get; init; } = "";

    /// <summary>1. Full name, given part (tên đệm + tên), e.g. "Thị Minh Khai". DCC nam.gn.</summary>
    public string GivenName { get; init; } = "";

    /// <summary>2. Date of birth: "YYYY-MM-DD", "YYYY-MM" or "YYYY" (the DCC allows partial dates). DCC dob.</summary>
    public string DateOfBirth { get; init; } = "";

    /// <summary>3. Nationality, ISO 3166-1 alpha-2 (e.g. "VN"). Not in the EU schema: carried as a private CWT claim.</summary>
    public string Nationality { get; init; } = "";

    /// <summary>4. Targeted disease, SNOMED CT code from the disease-agent-targeted value set (COVID-19 = 840539006). DCC v.tg.</summary>
    public string TargetedDisease { get; init; } = DccCodes.Covid19;

    /// <summary>5. Doses received: total doses in the series. DCC v.sd.</summary>
    public int TotalDoses { get; init; }

    /// <summary>6. Date of vaccination. DCC v.dt.</summary>
    public DateOnly DateOfVaccination { get; init; }

    /// <summary>7. Dose number. DCC v.dn.</summary>
    public int DoseNumber { get; init; }

    /// <summary>8. Vaccine (prophylaxis type) code, e.g. "1119349007" (mRNA). DCC v.vp.</summary>
    public string VaccineType { get; init; } = "";

    /// <summary>9. Vaccine product code, e.g. "EU/1/20/1528" (Comirnaty). DCC v.mp.</summary>
    public string VaccineProduct { get; init; } = "";

    /// <summary>10. Manufacturer / marketing-authorisation holder code, e.g. "ORG-100030215". DCC v.ma.</summary>
    public string Manufacturer { get; init; } = "";

    /// <summary>11. Certificate identifier (UVCI), e.g. "URN:UVCI:01:VN:...#C". DCC v.ci.</summary>
    public string CertificateId { get; init; } = "";

    /// <summary>The name as Vietnamese write it: family name first.</summary>
    public string FullName => string.Join(' ', new[] { FamilyName, GivenName }.Where(s => s.Length > 0));
}

/// <summary>Well-known codes.</summary>
public static class DccCodes
{
    /// <summary>SNOMED CT COVID-19.</summary>
    public const string Covid19 = "840539006";
}
