using System.Text;

namespace VaxCert.Issuing.Facility;

/// <summary>Why a line could not be read as a row at all (bad JSON, wrong number of CSV cells), in Vietnamese and English.</summary>
public sealed record RowFormatProblem(string MessageVi, string MessageEn);

/// <summary>
/// One row of a facility's daily export, as read (all text, nothing checked). Columns, CSV header and JSON keys alike:
/// record_id, citizen_id (Vietnamese citizens), passport_number (optional column; foreign nationals), sex, family_name, given_name, date_of_birth, nationality, targeted_disease (optional, COVID-19
/// by default), total_doses, date_of_vaccination, dose_number, vaccine_type, vaccine_product, manufacturer. See docs/facility.md.
/// </summary>
/// <param name="RowNumber">1-based data row number (the CSV header is not counted; for JSON lines, the line number).</param>
/// <param name="Fields">Column name → value as written; missing columns are absent.</param>
/// <param name="FormatProblem">Set when the line itself could not be read.</param>
public sealed record ExportRow(long RowNumber, IReadOnlyDictionary<string, string> Fields, RowFormatProblem? FormatProblem = null)
{
    /// <summary>The cleaned value of <paramref name="column"/> (see <see cref="ExportText.Clean"/>), or "" when absent.</summary>
    public string Get(string column) => Fields.TryGetValue(column, out var v) ? ExportText.Clean(v) : "";
}

/// <summary>How export text is normalised before any check, so that equal text compares equal.</summary>
public static class ExportText
{
    /// <summary>
    /// Unicode NFC (spreadsheets on macOS and some HIS exports write decomposed NFD letters: "Nữ" as u + combining marks),
    /// whitespace runs collapsed to one space (a doubled space between name parts), trimmed.
    /// </summary>
    public static string Clean(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        if (!NeedsCollapsing(text)) return text;
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Fast path: most cells are already clean (no edge whitespace, no whitespace other than single spaces).
    private static bool NeedsCollapsing(string text)
    {
        if (text.Length == 0) return false;
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return true;
        for (var i = 1; i < text.Length; i++)
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || char.IsWhiteSpace(text[i - 1]))) return true;
        return false;
    }
}

/// <summary>The export's column names, and how facility staff call them.</summary>
public static class ExportColumns
{
    public const string RecordId = "record_id", CitizenId = "citizen_id", Sex = "sex", FamilyName = "family_name",
        GivenName = "given_name", DateOfBirth = "date_of_birth", Nationality = "nationality", TargetedDisease = "targeted_disease",
        TotalDoses = "total_doses", DateOfVaccination = "date_of_vaccination", DoseNumber = "dose_number",
        VaccineType = "vaccine_type", VaccineProduct = "vaccine_product", Manufacturer = "manufacturer",
        PassportNumber = "passport_number";

    /// <summary>The documented CSV header, in order.</summary>
    public static readonly string[] All =
    [
        RecordId, CitizenId, Sex, FamilyName, GivenName, DateOfBirth, Nationality, TargetedDisease, TotalDoses,
        DateOfVaccination, DoseNumber, VaccineType, VaccineProduct, Manufacturer, PassportNumber,
    ];

    /// <summary>Columns an export may leave out: the disease (COVID-19 by default) and the passport number (foreign nationals only).</summary>
    public static readonly string[] Optional = [TargetedDisease, PassportNumber];

    /// <summary>The column a <see cref="Core.Model.VaccinationRecord"/> property comes from (for rejection reports).</summary>
    public static string ForRecordField(string property) => property switch
    {
        "FamilyName" => FamilyName, "GivenName" => GivenName, "DateOfBirth" => DateOfBirth, "Nationality" => Nationality,
        "TargetedDisease" => TargetedDisease, "TotalDoses" => TotalDoses, "DateOfVaccination" => DateOfVaccination,
        "DoseNumber" => DoseNumber, "VaccineType" => VaccineType, "VaccineProduct" => VaccineProduct,
        "Manufacturer" => Manufacturer, "CertificateId" => RecordId,
        _ => property,
    };

    /// <summary>What facility staff call a column, in Vietnamese (reports never show English column names in Vietnamese text).</summary>
    public static string Vietnamese(string column) => column switch
    {
        RecordId => "mã bản ghi", CitizenId => "số CCCD/CMND", Sex => "giới tính", FamilyName => "họ", GivenName => "tên",
        DateOfBirth => "ngày sinh", Nationality => "quốc tịch", TargetedDisease => "bệnh được phòng",
        TotalDoses => "tổng số mũi của phác đồ", DateOfVaccination => "ngày tiêm", DoseNumber => "mũi tiêm thứ",
        VaccineType => "loại vắc xin", VaccineProduct => "tên vắc xin", Manufacturer => "nhà sản xuất", PassportNumber => "số hộ chiếu",
        _ => "cột " + column,
    };

    /// <summary>What a column holds, in English.</summary>
    public static string English(string column) => column switch
    {
        RecordId => "record id", CitizenId => "CCCD/CMND number", Sex => "sex", FamilyName => "family name", GivenName => "given name",
        DateOfBirth => "date of birth", Nationality => "nationality", TargetedDisease => "targeted disease",
        TotalDoses => "total doses of the series", DateOfVaccination => "date of vaccination", DoseNumber => "dose number",
        VaccineType => "vaccine type", VaccineProduct => "vaccine product", Manufacturer => "manufacturer", PassportNumber => "passport number",
        _ => "column " + column,
    };
}
