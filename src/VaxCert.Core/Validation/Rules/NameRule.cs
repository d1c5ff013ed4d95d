using VaxCert.Core.Model;
using VaxCert.Core.Names;

namespace VaxCert.Core.Validation.Rules;

/// <summary>
/// nam: at least one of family and given name; each at most 80 characters as written and after ICAO transliteration;
/// no control characters; every letter transliterable. Messages describe the problem, never the name itself.
/// </summary>
internal sealed class NameRule : IRecordRule
{
    private const int MaxLength = 80;

    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        var family = record.FamilyName ?? "";
        var given = record.GivenName ?? "";
        if (string.IsNullOrWhiteSpace(family) && string.IsNullOrWhiteSpace(given))
        {
            yield return new ValidationError(nameof(VaccinationRecord.FamilyName), DccPaths.Name, ValidationRule.Required,
                "At least one of family name and given name is required.");
            yield break;
        }
        foreach (var e in CheckPart(nameof(VaccinationRecord.FamilyName), DccPaths.FamilyName, DccPaths.FamilyNameTransliterated, family))
            yield return e;
        foreach (var e in CheckPart(nameof(VaccinationRecord.GivenName), DccPaths.GivenName, DccPaths.GivenNameTransliterated, given))
            yield return e;
    }

    private static bool HasControlOrBrokenUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
                return true;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }

    private static IEnumerable<ValidationError> CheckPart(string field, string path, string transliteratedPath, string name)
    {
        if (name.Length == 0)
            yield break;
        // The JSON schema counts code points; a decomposed (NFD) name therefore counts its combining marks too.
        var codePoints = name.EnumerateRunes().Count();
        var naturalTooLong = codePoints > MaxLength;
        if (naturalTooLong)
            yield return new ValidationError(field, path, ValidationRule.TooLong,
                $"The name has {codePoints} characters; at most {MaxLength} are allowed.");
        if (HasControlOrBrokenUnicode(name))
        {
            yield return new ValidationError(field, path, ValidationRule.InvalidCharacters,
                "The name contains control characters or broken Unicode.");
            yield break;
        }

        var icao = IcaoTransliterator.Transliterate(name);
        if (icao.Failure == TransliterationFailure.UnmappableCharacters)
            yield return new ValidationError(field, transliteratedPath, ValidationRule.InvalidCharacters,
                $"The name contains characters with no ICAO Latin form: {icao.DescribeUnmappable()}.");
        // One length complaint per name: the machine-readable form only counts when the name itself fits (ß → SS grows it).
        else if (icao.Failure == TransliterationFailure.TooLong && !naturalTooLong)
            yield return new ValidationError(field, transliteratedPath, ValidationRule.TooLong,
                $"The machine-readable name would have {icao.Value.Length} characters; at most {IcaoTransliterator.MaxLength} are allowed.");
        else if (icao.Value.Length == 0 && !string.IsNullOrWhiteSpace(name))
            yield return new ValidationError(field, transliteratedPath, ValidationRule.InvalidCharacters,
                "The name has no letters, only punctuation.");
    }
}
