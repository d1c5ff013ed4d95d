using System.Globalization;
using VaxCert.Core.Identity;
using VaxCert.Core.Model;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;

namespace VaxCert.Issuing.Facility;

/// <summary>A row that passed every check: the record to sign (UVCI assigned, no identity number) and its export id.</summary>
public sealed record CheckedRow(long RowNumber, string RecordId, VaccinationRecord Record);

/// <summary>
/// Checks one export row before anything is signed: the record id (present, at most 64 characters, not a personal
/// identifier), the four identity fields (name, date of birth, sex, and the identity number: CCCD/CMND for Vietnamese
/// citizens, passport number for foreign nationals), the CCCD against sex and birth year (Core/Identity), numbers and dates, and then the record through the core RecordValidator with the deterministic UVCI.
/// Every problem of the row is reported at once: a bad CCCD does not hide a bad vaccine code. Text is cleaned first
/// (<see cref="ExportText.Clean"/>: NFC, single spaces). Never throws.
/// </summary>
public sealed class RowChecker(string facilityCode, RecordValidator validator, DeterministicUvci uvcis)
{
    private const int MaxRecordIdLength = 64;

    // Stands in for a missing or refused record id, so that the rest of the row is still validated.
    private const string PlaceholderRecordId = "-";

    /// <summary>Checks <paramref name="row"/>; exactly one of the results is set.</summary>
    public (CheckedRow? Row, IReadOnlyList<RowRejection> Problems) Check(ExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var recordId = row.Get(ExportColumns.RecordId);
        var personalId = PersonalIdentifierLikeness.LooksLikePersonalIdentifier(recordId);
        var problems = new Problems(row.RowNumber, personalId ? "" : recordId);
        if (row.FormatProblem is { } format)
        {
            problems.Add("row", "Unreadable", "Không đọc được dòng: " + format.MessageVi + ".", "Unreadable row: " + format.MessageEn + ".");
            return (null, problems.List);
        }

        if (recordId.Length == 0) problems.Missing(ExportColumns.RecordId);
        else if (personalId)
            problems.Add(ExportColumns.RecordId, "PersonalIdentifier",
                "Mã bản ghi trông giống số CCCD/CMND hoặc số hộ chiếu. Không dùng số giấy tờ tùy thân làm mã bản ghi: mã bản ghi được " +
                "lưu lâu dài ở Bộ Y tế. Hãy dùng mã riêng của cơ sở, ví dụ HN001-2021-000123.",
                "The record id looks like a CCCD/CMND or passport number. Never use an identity number as the record id: record " +
                "ids are kept for good at the ministry. Use the facility's own id, e.g. HN001-2021-000123.");
        else if (recordId.Length > MaxRecordIdLength)
            problems.Add(ExportColumns.RecordId, "TooLong", $"Mã bản ghi dài quá {MaxRecordIdLength} ký tự.",
                $"The record id is longer than {MaxRecordIdLength} characters.");
        if (row.Get(ExportColumns.DateOfBirth).Length == 0) problems.Missing(ExportColumns.DateOfBirth);
        if (row.Get(ExportColumns.FamilyName).Length == 0 && row.Get(ExportColumns.GivenName).Length == 0)
            problems.Add(ExportColumns.FamilyName, "Required", "Thiếu họ tên.", "The name is missing.");
        var sex = ParseSex(row.Get(ExportColumns.Sex));
        if (sex is null)
            problems.Add(ExportColumns.Sex, "Sex", "Giới tính phải là Nam/Nữ (M/F).", "Sex must be M/F (Nam/Nữ).");
        CheckIdentityNumber(row, sex, problems);
        var dose = Int(row, ExportColumns.DoseNumber, problems);
        var total = Int(row, ExportColumns.TotalDoses, problems);
        var date = Date(row, ExportColumns.DateOfVaccination, problems);

        var usableId = recordId.Length is > 0 and <= MaxRecordIdLength && !personalId;
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
            CertificateId = uvcis.For(facilityCode, usableId ? recordId : PlaceholderRecordId),
        };
        // A column that already has a problem is not reported again in the validator's words (a dose that is not a
        // number would also be "out of range").
        var reported = problems.List.Select(p => p.Field).ToHashSet(StringComparer.Ordinal);
        foreach (var e in validator.Validate(record))
        {
            var column = ExportColumns.ForRecordField(e.Field);
            if (reported.Contains(column)) continue;
            problems.Add(column, e.Rule.ToString(), RuleWording.Vietnamese(e, column), e.Message);
        }
        return problems.List.Count > 0 ? (null, problems.List) : (new CheckedRow(row.RowNumber, recordId, record), []);
    }

    /// <summary>
    /// Decision 5772's nationality decides the identity document: a Vietnamese citizen (VN, or nationality left empty,
    /// which the validator reports on its own) is identified by CCCD/CMND in citizen_id; a foreign national by the passport
    /// number in passport_number, with passport checks (PassportNumberValidator), and has no CCCD/CMND. A passport number
    /// given for a Vietnamese citizen is checked too (Vietnamese format). Only masked numbers reach the report.
    /// </summary>
    private static void CheckIdentityNumber(ExportRow row, Sex? sex, Problems problems)
    {
        var nationality = row.Get(ExportColumns.Nationality);
        var citizenId = row.Get(ExportColumns.CitizenId);
        var passport = row.Get(ExportColumns.PassportNumber);
        var foreign = nationality.Length > 0 && !string.Equals(nationality, VietnamNationality, StringComparison.Ordinal);
        if (!foreign)
        {
            if (citizenId.Length == 0) problems.Missing(ExportColumns.CitizenId);
            else
                foreach (var p in CitizenIdValidator.Validate(citizenId, sex, row.Get(ExportColumns.DateOfBirth)).Problems)
                    problems.Add(ExportColumns.CitizenId, p.Reason.ToString(), p.MessageVi, p.MessageEn);
            if (passport.Length > 0) AddPassportProblems(passport, nationality, problems);
            return;
        }
        if (citizenId.Length > 0)
            problems.Add(ExportColumns.CitizenId, "NotForForeignNationals",
                $"Người có quốc tịch {nationality} không có số CCCD/CMND (chỉ cấp cho công dân Việt Nam): để trống cột số CCCD/CMND " +
                "và ghi số hộ chiếu vào cột số hộ chiếu.",
                $"A national of {nationality} has no CCCD/CMND (issued to Vietnamese citizens only): leave the CCCD/CMND number " +
                "empty and give the passport number.");
        if (passport.Length == 0)
            problems.Add(ExportColumns.PassportNumber, "Required",
                $"Thiếu số hộ chiếu: người có quốc tịch {nationality} được xác định bằng số hộ chiếu.",
                $"The passport number is missing: a national of {nationality} is identified by passport number.");
        else AddPassportProblems(passport, nationality, problems);
    }

    private static void AddPassportProblems(string passport, string nationality, Problems problems)
    {
        foreach (var p in PassportNumberValidator.Validate(passport, nationality).Problems)
            problems.Add(ExportColumns.PassportNumber, p.Reason.ToString(), p.MessageVi, p.MessageEn);
    }

    private const string VietnamNationality = "VN";

    /// <summary>"M"/"Nam"/"male" or "F"/"Nữ"/"Nu"/"female" (case-insensitive, NFC or NFD); null otherwise.</summary>
    public static Sex? ParseSex(string text) => ExportText.Clean(text).ToLowerInvariant() switch
    {
        "m" or "nam" or "male" => Sex.Male,
        "f" or "nữ" or "nu" or "female" => Sex.Female,
        _ => null,
    };

    private static int Int(ExportRow row, string column, Problems problems)
    {
        var text = row.Get(column);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        if (text.Length == 0) problems.Missing(column);
        else
            problems.Add(column, "Format", $"{Capital(ExportColumns.Vietnamese(column))} phải là số nguyên dương.",
                $"The {ExportColumns.English(column)} must be a whole number.");
        return 0;
    }

    private static DateOnly Date(ExportRow row, string column, Problems problems)
    {
        var text = row.Get(column);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (text.Length == 0) problems.Missing(column);
        else
            problems.Add(column, "Format", $"{Capital(ExportColumns.Vietnamese(column))} phải có dạng YYYY-MM-DD.",
                $"The {ExportColumns.English(column)} must be YYYY-MM-DD.");
        return default;
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    // The problems of one row, each stamped with the row number and record id.
    private sealed class Problems(long rowNumber, string recordId)
    {
        public List<RowRejection> List { get; } = [];

        public void Add(string field, string code, string vi, string en) => List.Add(new RowRejection(rowNumber, recordId, field, code, vi, en));

        public void Missing(string column) =>
            Add(column, "Required", $"Thiếu {ExportColumns.Vietnamese(column)}.", $"The {ExportColumns.English(column)} is missing.");
    }
}
