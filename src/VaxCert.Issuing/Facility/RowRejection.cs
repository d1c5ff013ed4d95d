using VaxCert.Core.Validation;

namespace VaxCert.Issuing.Facility;

/// <summary>One reason a row was not signed, for the facility's rejection report. Never holds the identity number unmasked.</summary>
/// <param name="RowNumber">The export row.</param>
/// <param name="Field">The export column at fault ("row" for an unreadable line).</param>
/// <param name="Code">Stable reason code (a CitizenIdReason, ValidationRule or row-level code).</param>
/// <param name="MessageVi">Explanation in Vietnamese.</param>
/// <param name="MessageEn">Explanation in English.</param>
public sealed record RowRejection(long RowNumber, string Field, string Code, string MessageVi, string MessageEn);

/// <summary>Vietnamese wording of the core validation rules (the core messages are English).</summary>
internal static class RuleWording
{
    public static string Vietnamese(ValidationRule rule) => rule switch
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
        _ => rule.ToString(),
    };
}
