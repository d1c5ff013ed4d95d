using System.Text.RegularExpressions;
using VaxCert.Core.Validation;

namespace VaxCert.Issuing.Facility;

/// <summary>One reason a row was not signed, for the facility's rejection report. Never holds the identity number unmasked.</summary>
/// <param name="RowNumber">The export row.</param>
/// <param name="RecordId">The row's record id, so staff find the record; "" when absent or withheld (it looked like a
/// personal identifier, which must not be copied anywhere).</param>
/// <param name="Field">The export column at fault ("row" for an unreadable line).</param>
/// <param name="Code">Stable reason code (a CitizenIdReason, ValidationRule or row-level code).</param>
/// <param name="MessageVi">Explanation in Vietnamese, as complete as the English one.</param>
/// <param name="MessageEn">Explanation in English.</param>
public sealed record RowRejection(long RowNumber, string RecordId, string Field, string Code, string MessageVi, string MessageEn);

/// <summary>
/// Vietnamese for the core validator's messages, which are English. Each known message is translated with every value it
/// carries (codes, limits, dates), so the Vietnamese column says as much as the English one and names fields as facility
/// staff do, never by their English column names. An unknown message (a rule added later) still gets the field and the
/// rule in Vietnamese plus every quoted value and number of the English text.
/// </summary>
internal static partial class RuleWording
{
    public static string Vietnamese(ValidationError error, string column)
    {
        var field = ExportColumns.Vietnamese(column);
        var m = error.Message;
        Match x;
        if ((x = YearOfBirthRange().Match(m)).Success) return $"Năm sinh phải từ {x.Groups[1]} đến {x.Groups[2]}.";
        if ((x = DoseRange().Match(m)).Success) return $"Mũi tiêm thứ phải từ 1 đến {x.Groups[1]}.";
        if ((x = SeriesRange().Match(m)).Success) return $"Tổng số mũi của phác đồ phải từ 1 đến {x.Groups[1]}.";
        if ((x = NameLength().Match(m)).Success) return $"{Capital(field)} có {x.Groups[1]} ký tự; tối đa {x.Groups[2]} ký tự.";
        if ((x = IcaoUnmappable().Match(m)).Success) return $"{Capital(field)} có ký tự không có dạng chữ Latin theo ICAO: {x.Groups[1]}.";
        if ((x = IcaoLength().Match(m)).Success)
            return $"Dạng máy đọc (ICAO) của {field} sẽ có {x.Groups[1]} ký tự; tối đa {x.Groups[2]} ký tự.";
        if ((x = NotInCountries().Match(m)).Success) return $"'{x.Groups[1]}' không có trong danh mục mã quốc gia country-2-codes của EU.";
        if ((x = NotInValueSet().Match(m)).Success) return $"{Capital(field)}: mã '{x.Groups[1]}' không có trong danh mục EU {x.Groups[2]}.";
        if ((x = Deprecated().Match(m)).Success)
            return $"{Capital(field)}: mã '{x.Groups[1]}' đã bị EU ngừng sử dụng, không được dùng cho chứng nhận mới.";
        if ((x = NotHolder().Match(m)).Success)
            return $"'{x.Groups[1]}' không phải là đơn vị giữ giấy phép lưu hành của '{x.Groups[2]}' (đúng phải là '{x.Groups[3]}').";
        if ((x = TypeMismatch().Match(m)).Success)
            return $"Loại vắc xin '{x.Groups[1]}' không phù hợp với '{x.Groups[2]}' (được phép: {x.Groups[3]}).";
        if ((x = NotInPolicy().Match(m)).Success) return $"'{x.Groups[1]}' không phải là vắc xin được phép theo chính sách cấp chứng nhận của Việt Nam.";
        if ((x = PolicyManufacturer().Match(m)).Success) return $"Chính sách chỉ cho phép '{x.Groups[1]}' với nhà sản xuất '{x.Groups[2]}'.";
        if ((x = PolicyType().Match(m)).Success)
            return $"Chính sách chỉ cho phép '{x.Groups[1]}' với loại vắc xin {x.Groups[2].Value.Replace(" or ", " hoặc ", StringComparison.Ordinal)}.";
        if ((x = VaccinatedBefore().Match(m)).Success) return $"Ngày tiêm trước {x.Groups[1]}, sớm hơn mức cho phép.";
        return m switch
        {
            "The date of birth is required." => "Thiếu ngày sinh.",
            "The date of birth must be YYYY-MM-DD, YYYY-MM or YYYY." => "Ngày sinh phải có dạng YYYY-MM-DD, YYYY-MM hoặc YYYY.",
            "The date of birth is not a real calendar date." => "Ngày sinh không phải là một ngày có thật.",
            "The date of birth lies in the future." => "Ngày sinh nằm ở tương lai.",
            "The date of birth is after the date of vaccination." => "Ngày sinh sau ngày tiêm.",
            "At least one of family name and given name is required." => "Cần có ít nhất họ hoặc tên.",
            "The name contains control characters or broken Unicode." => $"{Capital(field)} có ký tự điều khiển hoặc mã Unicode hỏng.",
            "The name has no letters, only punctuation." => $"{Capital(field)} không có chữ cái nào, chỉ có dấu câu.",
            "The nationality is required." => "Thiếu quốc tịch.",
            "The nationality must be two upper-case letters (ISO 3166-1 alpha-2), e.g. VN." =>
                "Quốc tịch phải là hai chữ cái in hoa (ISO 3166-1 alpha-2), ví dụ VN.",
            "The date of vaccination is required." => "Thiếu ngày tiêm.",
            "The date of vaccination lies in the future." => "Ngày tiêm nằm ở tương lai.",
            "The code is required." => $"Thiếu mã {field}.",
            _ => Fallback(error, field),
        };
    }

    // A message this table does not know yet: the field and rule in Vietnamese, with every value the English text quotes.
    private static string Fallback(ValidationError error, string field)
    {
        var values = QuotedOrNumber().Matches(error.Message).Select(v => v.Value).Distinct().ToList();
        return $"{Capital(field)}: {Rule(error.Rule)}" + (values.Count > 0 ? $" ({string.Join(", ", values)})." : ".");
    }

    public static string Rule(ValidationRule rule) => rule switch
    {
        ValidationRule.Required => "thiếu giá trị bắt buộc",
        ValidationRule.TooLong => "quá dài",
        ValidationRule.Format => "sai định dạng",
        ValidationRule.OutOfRange => "ngoài phạm vi cho phép",
        ValidationRule.NotInValueSet => "mã không có trong danh mục EU",
        ValidationRule.NotAllowedByPolicy => "không được Bộ Y tế cho phép",
        ValidationRule.Inconsistent => "không khớp với các trường khác",
        ValidationRule.InFuture => "ngày ở tương lai",
        ValidationRule.TooEarly => "ngày sớm hơn mức cho phép",
        ValidationRule.InvalidCharacters => "có ký tự không hợp lệ",
        _ => "không hợp lệ",
    };

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"^The year of birth must be between (\d+) and (\d+)\.$")] private static partial Regex YearOfBirthRange();
    [GeneratedRegex(@"^The dose number must be between 1 and (\d+)\.$")] private static partial Regex DoseRange();
    [GeneratedRegex(@"^The total doses in the series must be between 1 and (\d+)\.$")] private static partial Regex SeriesRange();
    [GeneratedRegex(@"^The name has (\d+) characters; at most (\d+) are allowed\.$")] private static partial Regex NameLength();
    [GeneratedRegex(@"^The name contains characters with no ICAO Latin form: (.*)\.$", RegexOptions.Singleline)] private static partial Regex IcaoUnmappable();
    [GeneratedRegex(@"^The machine-readable name would have (\d+) characters; at most (\d+) are allowed\.$")] private static partial Regex IcaoLength();
    [GeneratedRegex(@"^'(.*)' is not in the EU country-2-codes value set\.$", RegexOptions.Singleline)] private static partial Regex NotInCountries();
    [GeneratedRegex(@"^'(.*)' is not in the EU value set (\S+)\.$", RegexOptions.Singleline)] private static partial Regex NotInValueSet();
    [GeneratedRegex(@"^'(.*)' is deprecated in the EU value set and must not be used on new certificates\.$", RegexOptions.Singleline)] private static partial Regex Deprecated();
    [GeneratedRegex(@"^'(.*)' is not the marketing-authorisation holder of '(.*)' \(expected '(.*)'\)\.$", RegexOptions.Singleline)] private static partial Regex NotHolder();
    [GeneratedRegex(@"^Vaccine type '(.*)' does not fit '(.*)' \(allowed: (.*)\)\.$", RegexOptions.Singleline)] private static partial Regex TypeMismatch();
    [GeneratedRegex(@"^'(.*)' is not a vaccine Viet Nam's issuance policy allows\.$", RegexOptions.Singleline)] private static partial Regex NotInPolicy();
    [GeneratedRegex(@"^The policy allows '(.*)' only with manufacturer '(.*)'\.$", RegexOptions.Singleline)] private static partial Regex PolicyManufacturer();
    [GeneratedRegex(@"^The policy allows '(.*)' only with vaccine type (.*)\.$", RegexOptions.Singleline)] private static partial Regex PolicyType();
    [GeneratedRegex(@"^The date of vaccination is before (\d{4}-\d{2}-\d{2})\.$")] private static partial Regex VaccinatedBefore();
    [GeneratedRegex(@"'[^']*'|\d+")] private static partial Regex QuotedOrNumber();
}
