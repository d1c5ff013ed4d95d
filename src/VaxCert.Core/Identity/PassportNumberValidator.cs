namespace VaxCert.Core.Identity;

/// <summary>Why a passport number was rejected. Stable names: they appear in facility rejection reports.</summary>
public enum PassportNumberReason
{
    /// <summary>No number given.</summary>
    Empty,
    /// <summary>Something other than capital letters A-Z and digits (lower case, spaces, dashes, letters with diacritics).</summary>
    InvalidCharacters,
    /// <summary>Fewer than 6 or more than 9 characters (the ICAO 9303 machine-readable zone holds 9).</summary>
    InvalidLength,
    /// <summary>No digit at all: a name or a word typed into the wrong column.</summary>
    NoDigit,
    /// <summary>One character repeated (000000000, XXXXXXX): a placeholder, not a document.</summary>
    Placeholder,
    /// <summary>A Vietnamese passport number is one letter and 7 digits (e.g. C1234567).</summary>
    NotVietnameseFormat,
}

/// <summary>One problem, explained for facility staff in Vietnamese and in English. Only the masked number appears.</summary>
public sealed record PassportNumberProblem(PassportNumberReason Reason, string MessageVi, string MessageEn);

/// <summary>Outcome of <see cref="PassportNumberValidator.Validate"/>.</summary>
/// <param name="Masked">The number with all but the last 3 characters replaced by '*', safe for logs and screens.</param>
/// <param name="Problems">Every problem found; empty when valid.</param>
public sealed record PassportNumberResult(string Masked, IReadOnlyList<PassportNumberProblem> Problems)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Checks the passport number of a foreign national (Decision 5772/QD-BYT field 3, nationality, other than VN): the
/// document number as printed in the passport's machine-readable zone (ICAO Doc 9303): 6 to 9 characters, capital
/// letters A-Z and digits only, at least one digit, not one character repeated. A Vietnamese passport (nationality VN)
/// must also have its national form, one letter and 7 digits. Issuing states' own check digits are not verifiable without
/// the full MRZ, which facilities do not record. Never throws; never returns the number unmasked.
/// </summary>
public static class PassportNumberValidator
{
    /// <summary>Shortest document number accepted (older national series).</summary>
    public const int MinLength = 6;

    /// <summary>Longest document number: the ICAO 9303 MRZ document number field.</summary>
    public const int MaxLength = 9;

    /// <summary>Validates <paramref name="number"/> of a holder of <paramref name="nationality"/> (ISO 3166-1 alpha-2).</summary>
    /// <param name="number">Untrusted input; surrounding whitespace is ignored.</param>
    /// <param name="nationality">The row's nationality; "VN" adds the Vietnamese format check.</param>
    public static PassportNumberResult Validate(string? number, string? nationality)
    {
        var text = number?.Trim() ?? "";
        var masked = Mask(text);
        var problems = new List<PassportNumberProblem>();
        if (text.Length == 0)
        {
            problems.Add(new(PassportNumberReason.Empty, "Chưa nhập số hộ chiếu.", "No passport number was given."));
            return new PassportNumberResult(masked, problems);
        }
        if (!text.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            problems.Add(new(PassportNumberReason.InvalidCharacters,
                $"Số hộ chiếu {masked} chỉ được gồm chữ in hoa A-Z và chữ số, viết liền như trên hộ chiếu (không dấu cách, gạch ngang, chữ thường).",
                $"Passport number {masked} may hold only capital letters A-Z and digits, written as in the passport (no spaces, dashes or lower case)."));
        if (text.Length is < MinLength or > MaxLength)
            problems.Add(new(PassportNumberReason.InvalidLength,
                $"Số hộ chiếu {masked} có {text.Length} ký tự; số hộ chiếu có từ {MinLength} đến {MaxLength} ký tự.",
                $"Passport number {masked} has {text.Length} characters; a passport number has {MinLength} to {MaxLength}."));
        if (!text.Any(char.IsAsciiDigit))
            problems.Add(new(PassportNumberReason.NoDigit,
                $"Số hộ chiếu {masked} không có chữ số nào: có thể đã nhập nhầm cột.",
                $"Passport number {masked} has no digit: perhaps the wrong column was filled in."));
        else if (text.Length > 1 && text.All(c => c == text[0]))
            problems.Add(new(PassportNumberReason.Placeholder,
                $"Số hộ chiếu {masked} chỉ lặp lại một ký tự: đây là số điền tạm, không phải số hộ chiếu thật.",
                $"Passport number {masked} repeats one character: a placeholder, not a real passport number."));
        if (string.Equals(nationality?.Trim(), "VN", StringComparison.Ordinal) && problems.Count == 0
            && !(text.Length == 8 && char.IsAsciiLetterUpper(text[0]) && text[1..].All(char.IsAsciiDigit)))
            problems.Add(new(PassportNumberReason.NotVietnameseFormat,
                $"Số hộ chiếu Việt Nam {masked} phải gồm một chữ cái và 7 chữ số, ví dụ C1234567.",
                $"Vietnamese passport number {masked} must be one letter and 7 digits, e.g. C1234567."));
        return new PassportNumberResult(masked, problems);
    }

    /// <summary>All but the last 3 characters as '*' (fully masked when short); letters and digits alike.</summary>
    public static string Mask(string? number)
    {
        var text = number?.Trim() ?? "";
        if (text.Length <= 5) return new string('*', text.Length);
        return new string('*', Math.Min(text.Length - 3, 12)) + text[^3..];
    }
}
