using System.Globalization;
using VaxCert.Core.Identity;
using VaxCert.Core.Model;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;

namespace VaxCert.Issuing.Facility;

/// <summary>A row that passed every check: the record to sign (UVCI assigned, no identity number) and its export id.</summary>
public sealed record CheckedRow(long RowNumber, string RecordId, VaccinationRecord Record);

/// <summary>
/// Checks one export row before anything is signed: the four identity fields are present (name, date of birth, sex,
/// CCCD/CMND), the CCCD agrees with sex and birth year (Core/Identity), and the record passes the core RecordValidator
/// after the deterministic UVCI is assigned. Returns every problem of the row at once. Never throws.
/// </summary>
public sealed class RowChecker(string facilityCode, RecordValidator validator, DeterministicUvci uvcis)
{
    /// <summary>Checks <paramref name="row"/>; exactly one of the results is set.</summary>
    public (CheckedRow? Row, IReadOnlyList<RowRejection> Problems) Check(ExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.FormatProblem is { } format)
            return (null, [new RowRejection(row.RowNumber, "row", "Unreadable", "Không đọc được dòng: " + format, "Unreadable row: " + format)]);
        var problems = new List<RowRejection>();
        var recordId = row.Get(ExportColumns.RecordId);
        Require(row, ExportColumns.RecordId, "mã bản ghi", "record id", problems);
        Require(row, ExportColumns.DateOfBirth, "ngày sinh", "date of birth", problems);
        Require(row, ExportColumns.CitizenId, "số CCCD/CMND", "CCCD/CMND number", problems);
        if (row.Get(ExportColumns.FamilyName).Length == 0 && row.Get(ExportColumns.GivenName).Length == 0)
            problems.Add(Missing(row, ExportColumns.FamilyName, "họ tên", "name"));
        var sex = ParseSex(row.Get(ExportColumns.Sex));
        if (sex is null)
            problems.Add(new RowRejection(row.RowNumber, ExportColumns.Sex, "Sex",
                "Giới tính phải là Nam/Nữ (M/F).", "Sex must be M/F (Nam/Nữ)."));
        if (row.Get(ExportColumns.CitizenId).Length > 0)
            foreach (var p in CitizenIdValidator.Validate(row.Get(ExportColumns.CitizenId), sex, row.Get(ExportColumns.DateOfBirth)).Problems)
                problems.Add(new RowRejection(row.RowNumber, ExportColumns.CitizenId, p.Reason.ToString(), p.MessageVi, p.MessageEn));
        if (recordId.Length > 0 && recordId.Length > 64)
            problems.Add(new RowRejection(row.RowNumber, ExportColumns.RecordId, "TooLong", "Mã bản ghi dài quá 64 ký tự.", "The record id is longer than 64 characters."));

        var dose = Int(row, ExportColumns.DoseNumber, problems);
        var total = Int(row, ExportColumns.TotalDoses, problems);
        var date = Date(row, ExportColumns.DateOfVaccination, problems);
        if (problems.Count > 0) return (null, problems);

        var record = new VaccinationRecord
        {
            FamilyName = row.Get(ExportColumns.FamilyName),
            GivenName = row.Get(ExportColumns.GivenName),
            DateOfBirth = row.Get(ExportColumns.DateOfBirth),
            Nationality = row.Get(ExportColumns.Nationality),
            TargetedDisease = row.Get(ExportColumns.TargetedDisease) is { Length: > 0 } tg ? tg : DccCodes.Covid19,
            TotalDoses = total,
            DoseNumber = dose,
            DateOfVaccination = date,
            VaccineType = row.Get(ExportColumns.VaccineType),
            VaccineProduct = row.Get(ExportColumns.VaccineProduct),
            Manufacturer = row.Get(ExportColumns.Manufacturer),
            CertificateId = uvcis.For(facilityCode, recordId),
        };
        foreach (var e in validator.Validate(record))
            problems.Add(new RowRejection(row.RowNumber, ExportColumns.ForRecordField(e.Field), e.Rule.ToString(),
                $"Trường {ExportColumns.ForRecordField(e.Field)}: {RuleWording.Vietnamese(e.Rule)}.", e.Message));
        return problems.Count > 0 ? (null, problems) : (new CheckedRow(row.RowNumber, recordId, record), []);
    }

    /// <summary>"M"/"Nam"/"male" or "F"/"Nữ"/"Nu"/"female" (case-insensitive); null otherwise.</summary>
    public static Sex? ParseSex(string text) => text.Trim().ToLowerInvariant() switch
    {
        "m" or "nam" or "male" => Sex.Male,
        "f" or "nữ" or "nu" or "female" => Sex.Female,
        _ => null,
    };

    private static void Require(ExportRow row, string column, string vi, string en, List<RowRejection> problems)
    {
        if (row.Get(column).Length == 0) problems.Add(Missing(row, column, vi, en));
    }

    private static RowRejection Missing(ExportRow row, string column, string vi, string en) =>
        new(row.RowNumber, column, "Required", $"Thiếu {vi}.", $"The {en} is missing.");

    private static int Int(ExportRow row, string column, List<RowRejection> problems)
    {
        if (int.TryParse(row.Get(column), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        problems.Add(new RowRejection(row.RowNumber, column, "Format", $"Trường {column} phải là số nguyên dương.", $"{column} must be a whole number."));
        return 0;
    }

    private static DateOnly Date(ExportRow row, string column, List<RowRejection> problems)
    {
        if (DateOnly.TryParseExact(row.Get(column), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        problems.Add(new RowRejection(row.RowNumber, column, "Format", $"Trường {column} phải có dạng YYYY-MM-DD.", $"{column} must be YYYY-MM-DD."));
        return default;
    }
}
