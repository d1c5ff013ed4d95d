namespace VaxCert.Issuing.Facility;

/// <summary>
/// One row of a facility's daily export, as read (all text, nothing checked). Columns, CSV header and JSON keys alike:
/// record_id, citizen_id, sex, family_name, given_name, date_of_birth, nationality, targeted_disease (optional, COVID-19
/// by default), total_doses, date_of_vaccination, dose_number, vaccine_type, vaccine_product, manufacturer. See docs/facility.md.
/// </summary>
/// <param name="RowNumber">1-based data row number (the CSV header is not counted; for JSON lines, the line number).</param>
/// <param name="Fields">Column name → value; missing columns are absent.</param>
/// <param name="FormatProblem">Set when the line itself could not be read (bad JSON, wrong number of CSV cells).</param>
public sealed record ExportRow(long RowNumber, IReadOnlyDictionary<string, string> Fields, string? FormatProblem = null)
{
    /// <summary>The trimmed value of <paramref name="column"/>, or "" when absent.</summary>
    public string Get(string column) => Fields.TryGetValue(column, out var v) ? v.Trim() : "";
}

/// <summary>The export's column names.</summary>
public static class ExportColumns
{
    public const string RecordId = "record_id", CitizenId = "citizen_id", Sex = "sex", FamilyName = "family_name",
        GivenName = "given_name", DateOfBirth = "date_of_birth", Nationality = "nationality", TargetedDisease = "targeted_disease",
        TotalDoses = "total_doses", DateOfVaccination = "date_of_vaccination", DoseNumber = "dose_number",
        VaccineType = "vaccine_type", VaccineProduct = "vaccine_product", Manufacturer = "manufacturer";

    /// <summary>The documented CSV header, in order.</summary>
    public static readonly string[] All =
    [
        RecordId, CitizenId, Sex, FamilyName, GivenName, DateOfBirth, Nationality, TargetedDisease, TotalDoses,
        DateOfVaccination, DoseNumber, VaccineType, VaccineProduct, Manufacturer,
    ];

    /// <summary>The column a <see cref="Model.VaccinationRecord"/> property comes from (for rejection reports).</summary>
    public static string ForRecordField(string property) => property switch
    {
        "FamilyName" => FamilyName, "GivenName" => GivenName, "DateOfBirth" => DateOfBirth, "Nationality" => Nationality,
        "TargetedDisease" => TargetedDisease, "TotalDoses" => TotalDoses, "DateOfVaccination" => DateOfVaccination,
        "DoseNumber" => DoseNumber, "VaccineType" => VaccineType, "VaccineProduct" => VaccineProduct,
        "Manufacturer" => Manufacturer, "CertificateId" => RecordId,
        _ => property,
    };
}
