using VaxCert.Core.Validation;

namespace VaxCert.Core.Identity;

/// <summary>
/// Checks a citizen identity number from a facility's row. A CCCD (12 digits) is checked against the row: digits 1-3 are the
/// birth-registration province, digit 4 encodes century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 =
/// 2200s, 8/9 = 2300s), digits 5-6 are the last two digits of the birth year (Circular 07/2016/TT-BCA, Art. 7). A CMND
/// (9 digits) has no embedded data. Anything else is rejected. Never throws; never returns the number unmasked.
/// </summary>
public static class CitizenIdValidator
{
    private const int CccdLength = 12;
    private const int CmndLength = 9;
    private const int VisibleDigits = 3;

    /// <summary>Validates <paramref name="id"/>; checks against <paramref name="sex"/> and <paramref name="dateOfBirth"/> when given.</summary>
    /// <param name="id">Untrusted input; surrounding whitespace is ignored.</param>
    /// <param name="sex">The row's sex, or null when unknown (then not checked).</param>
    /// <param name="dateOfBirth">The row's date of birth ("YYYY-MM-DD", "YYYY-MM" or "YYYY"); when unreadable, the year is not checked.</param>
    public static CitizenIdResult Validate(string? id, Sex? sex, string? dateOfBirth)
    {
        var text = id?.Trim() ?? "";
        var masked = Mask(text);
        if (text.Length == 0)
            return Reject(CitizenIdKind.Unknown, masked, CitizenIdReason.Empty,
                "Chưa nhập số CCCD/CMND.", "No citizen identity number was given.");
        var allDigits = text.All(c => c is >= '0' and <= '9');
        if (allDigits && text.Length == CmndLength)
            return new CitizenIdResult(CitizenIdKind.Cmnd, masked, null, []);
        if (!allDigits || text.Length != CccdLength)
            return Reject(CitizenIdKind.Unknown, masked, CitizenIdReason.InvalidFormat,
                $"Số giấy tờ {masked} không hợp lệ: CCCD phải gồm 12 chữ số, CMND gồm 9 chữ số.",
                $"Identity number {masked} is invalid: a CCCD has 12 digits, a CMND 9 digits.");
        return CheckCccd(text, masked, sex, dateOfBirth);
    }

    /// <summary>All but the last 3 characters as '*' (fully masked when short or when the tail is not digits).</summary>
    public static string Mask(string? id)
    {
        var text = id?.Trim() ?? "";
        // Capped so an absurdly long input does not produce an absurdly long message.
        var stars = Math.Min(Math.Max(text.Length - VisibleDigits, 0), 12);
        if (text.Length <= VisibleDigits + 3 || !text[^VisibleDigits..].All(c => c is >= '0' and <= '9'))
            return new string('*', Math.Min(text.Length, 15));
        return new string('*', stars) + text[^VisibleDigits..];
    }

    private static CitizenIdResult CheckCccd(string id, string masked, Sex? sex, string? dateOfBirth)
    {
        var problems = new List<CitizenIdProblem>();
        Provinces.ByCode.TryGetValue(id[..3], out var province);
        if (province is null)
            problems.Add(new CitizenIdProblem(CitizenIdReason.UnknownProvince,
                $"Số CCCD {masked}: mã tỉnh (3 số đầu) không thuộc 63 mã tỉnh, thành phố.",
                $"CCCD {masked}: the first three digits are not one of the 63 province codes."));

        var genderCentury = id[3] - '0';
        var encodedSex = genderCentury % 2 == 0 ? Sex.Male : Sex.Female;
        var encodedCentury = 1900 + genderCentury / 2 * 100;
        if (sex is Sex rowSex && rowSex != encodedSex)
            problems.Add(new CitizenIdProblem(CitizenIdReason.SexMismatch,
                $"Số CCCD {masked}: chữ số thứ 4 ứng với giới tính {SexVi(encodedSex)}, nhưng giới tính khai báo là {SexVi(rowSex)}.",
                $"CCCD {masked}: the 4th digit means {SexEn(encodedSex)}, but the record says {SexEn(rowSex)}."));

        if (PartialDate.TryParse(dateOfBirth, out var dob) == PartialDateError.None)
        {
            var rowCentury = dob.Year / 100 * 100;
            if (rowCentury != encodedCentury)
                problems.Add(new CitizenIdProblem(CitizenIdReason.CenturyMismatch,
                    $"Số CCCD {masked}: chữ số thứ 4 ứng với người sinh trong các năm {encodedCentury}-{encodedCentury + 99}, nhưng năm sinh khai báo là {dob.Year}.",
                    $"CCCD {masked}: the 4th digit means born {encodedCentury}-{encodedCentury + 99}, but the record says {dob.Year}."));
            var encodedYear = id.Substring(4, 2);
            var rowYear = (dob.Year % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            if (encodedYear != rowYear)
                problems.Add(new CitizenIdProblem(CitizenIdReason.BirthYearMismatch,
                    $"Số CCCD {masked}: chữ số thứ 5-6 không khớp với hai số cuối của năm sinh {dob.Year}.",
                    $"CCCD {masked}: digits 5-6 do not match the last two digits of birth year {dob.Year}."));
        }
        return new CitizenIdResult(CitizenIdKind.Cccd, masked, province, problems);
    }

    private static CitizenIdResult Reject(CitizenIdKind kind, string masked, CitizenIdReason reason, string vi, string en) =>
        new(kind, masked, null, [new CitizenIdProblem(reason, vi, en)]);

    private static string SexVi(Sex sex) => sex == Sex.Male ? "nam" : "nữ";

    private static string SexEn(Sex sex) => sex == Sex.Male ? "male" : "female";
}
