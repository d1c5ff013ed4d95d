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

        if (TryFastPath(naturalName, out var fast))
            return new TransliterationResult(fast, fast.Length > MaxLength ? TransliterationFailure.TooLong : TransliterationFailure.None, []);

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

    // Issuance transliterates every name, so the common case must not allocate per letter. For the blocks that hold all
    // Vietnamese letters (Basic Latin to Latin Extended-B below U+0300, and Latin Extended Additional U+1E00-U+1EFF) the
    // mapping of each character is precomputed by the rules below (so both paths agree by construction). Combining marks
    // (U+0300+) and everything else take the general path, which normalises first.
    private const int ExtendedAdditionalStart = 0x1E00;
    private static readonly string?[] FastTable = BuildFastTable();

    private static string?[] BuildFastTable()
    {
        var table = new string?[0x300 + 0x100];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)(i < 0x300 ? i : ExtendedAdditionalStart + i - 0x300);
            var output = new StringBuilder(2);
            var unmappable = new List<Rune>();
            AppendMapped(new Rune(SafeNormalize(c.ToString(), NormalizationForm.FormC)[0]), output, unmappable);
            table[i] = unmappable.Count > 0 ? null : output.ToString();
        }
        return table;
    }

    private static bool TryFastPath(string name, out string value)
    {
        value = "";
        if (name.Length > 256) return false;
        Span<char> buffer = stackalloc char[name.Length * 2];
        var length = 0;
        foreach (var c in name)
        {
            int index = c < 0x300 ? c : c is >= (char)ExtendedAdditionalStart and <= (char)0x1EFF ? 0x300 + c - ExtendedAdditionalStart : -1;
            if (index < 0 || FastTable[index] is not { } mapped || mapped.Length > 2) return false;
            if (mapped.Length == 1 && mapped[0] == Filler)
            {
                if (length > 0 && buffer[length - 1] != Filler) buffer[length++] = Filler;
                continue;
            }
            foreach (var m in mapped) buffer[length++] = m;
        }
        if (length > 0 && buffer[length - 1] == Filler) length--;
        value = new string(buffer[..length]);
        return true;
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
