using System.Globalization;
using System.Text;

namespace VaxCert.Core.Names;

/// <summary>
/// Turns a natural-language name (Vietnamese or other Latin script) into the ICAO 9303 machine-readable form the EU DCC uses
/// for nam.fnt / nam.gnt: A-Z and the filler '&lt;' only.
/// </summary>
/// <remarks>
/// Rules: tone marks and all other diacritics are dropped (precomposed and decomposed input give the same result); Đ/đ → D;
/// the multi-letter ICAO forms of <see cref="LatinSpecialLetters"/> apply (Æ → AE, ß → SS, Ä → AE, Ø → O, Þ → TH ...);
/// spaces and hyphens (any dash) become '&lt;', repeats collapse and the ends are trimmed; other punctuation is dropped (ICAO
/// omits apostrophes and periods). Digits, symbols, control characters and non-Latin letters are reported as unmappable.
/// Every Vietnamese letter maps to exactly one output letter. The filler itself passes through, so the function is
/// idempotent on its own output.
/// </remarks>
public static class IcaoTransliterator
{
    /// <summary>The DCC schema's maxLength for fnt and gnt.</summary>
    public const int MaxLength = 80;

    /// <summary>The ICAO filler character, used for spaces and hyphens.</summary>
    public const char Filler = '<';

    /// <summary>Transliterates <paramref name="naturalName"/>; never throws (null is treated as empty).</summary>
    public static TransliterationResult Transliterate(string? naturalName)
    {
        if (string.IsNullOrEmpty(naturalName))
            return new TransliterationResult("", TransliterationFailure.None, []);

        // NFC first so "A" + U+0308 meets the Ä → AE rule exactly like precomposed Ä does.
        var composed = SafeNormalize(naturalName, NormalizationForm.FormC);
        var output = new StringBuilder(composed.Length);
        var unmappable = new List<Rune>();
        foreach (var rune in composed.EnumerateRunes())
            AppendMapped(rune, output, unmappable);

        var value = CollapseFillers(output);
        var failure = unmappable.Count > 0 ? TransliterationFailure.UnmappableCharacters
            : value.Length > MaxLength ? TransliterationFailure.TooLong
            : TransliterationFailure.None;
        return new TransliterationResult(value, failure, unmappable);
    }

    private static void AppendMapped(Rune rune, StringBuilder output, List<Rune> unmappable)
    {
        if (rune.IsBmp && LatinSpecialLetters.Map.TryGetValue((char)rune.Value, out var special))
        {
            output.Append(special);
            return;
        }
        switch (Classify(rune))
        {
            case RuneClass.Filler:
                output.Append(Filler);
                return;
            case RuneClass.Dropped:
                return;
            case RuneClass.Letter:
                if (TryBaseLetter(rune, out var baseLetter))
                {
                    output.Append(baseLetter);
                    return;
                }
                break;
        }
        if (!unmappable.Contains(rune))
            unmappable.Add(rune);
    }

    private enum RuneClass { Filler, Dropped, Letter, Other }

    private static RuneClass Classify(Rune rune)
    {
        if (rune.Value == Filler || Rune.IsWhiteSpace(rune))
            return RuneClass.Filler;
        var category = Rune.GetUnicodeCategory(rune);
        return category switch
        {
            UnicodeCategory.DashPunctuation => RuneClass.Filler,
            // Combining marks left over after NFC (no precomposed form exists) carry no letter of their own.
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => RuneClass.Dropped,
            UnicodeCategory.OtherPunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.ConnectorPunctuation
                => RuneClass.Dropped,
            // Modifier letters such as the ʼ apostrophe act as punctuation in names.
            UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol or UnicodeCategory.Format => RuneClass.Dropped,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter => RuneClass.Letter,
            _ => RuneClass.Other,
        };
    }

    /// <summary>The A-Z letter a Latin letter decomposes to, e.g. ệ → E, ư → U, ơ → O.</summary>
    private static bool TryBaseLetter(Rune rune, out char letter)
    {
        letter = '\0';
        var decomposed = SafeNormalize(rune.ToString(), NormalizationForm.FormD);
        var first = decomposed[0];
        if (first is >= 'A' and <= 'Z' or >= 'a' and <= 'z')
        {
            // Everything after the base letter must be combining marks, or this is not "a letter with diacritics".
            for (var i = 1; i < decomposed.Length; i++)
                if (CharUnicodeInfo.GetUnicodeCategory(decomposed[i]) != UnicodeCategory.NonSpacingMark)
                    return false;
            letter = char.ToUpperInvariant(first);
            return true;
        }
        return false;
    }

    private static string CollapseFillers(StringBuilder raw)
    {
        var result = new StringBuilder(raw.Length);
        foreach (var c in raw.ToString())
        {
            if (c == Filler && (result.Length == 0 || result[^1] == Filler))
                continue;
            result.Append(c);
        }
        if (result.Length > 0 && result[^1] == Filler)
            result.Length--;
        return result.ToString();
    }

    /// <summary>Normalization throws on ill-formed UTF-16 (lone surrogates); such input is kept as is and reported later.</summary>
    private static string SafeNormalize(string text, NormalizationForm form)
    {
        try
        {
            return text.Normalize(form);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}
