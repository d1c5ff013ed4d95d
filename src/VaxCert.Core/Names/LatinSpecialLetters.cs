using System.Collections.Frozen;

namespace VaxCert.Core.Names;

/// <summary>
/// Latin letters that are not "base letter + diacritic" in Unicode and so survive NFD decomposition, plus the letters whose
/// ICAO 9303 Part 3 (section 6) recommended form is two letters (Ä → AE). Vietnamese needs only Đ/đ from this table; every
/// other Vietnamese letter decomposes to A-Z plus combining marks.
/// </summary>
internal static class LatinSpecialLetters
{
    /// <summary>Keyed by the precomposed (NFC) character, upper or lower case.</summary>
    public static readonly FrozenDictionary<char, string> Map = Build();

    private static FrozenDictionary<char, string> Build()
    {
        var upper = new Dictionary<char, string>
        {
            ['Đ'] = "D", ['Ð'] = "D", ['Ɖ'] = "D",
            ['Æ'] = "AE", ['Œ'] = "OE", ['Ĳ'] = "IJ",
            ['Ä'] = "AE", ['Ö'] = "OE", ['Ü'] = "UE", ['Å'] = "AA",
            ['Ø'] = "O", ['Ł'] = "L", ['Ŀ'] = "L", ['Ħ'] = "H", ['Ŧ'] = "T", ['Ŋ'] = "N",
            ['Þ'] = "TH",
        };
        var map = new Dictionary<char, string>(upper);
        foreach (var (letter, value) in upper)
            map[char.ToLowerInvariant(letter)] = value;
        // Lower-case-only letters: sharp s, dotless i, kra, long s.
        map['ß'] = "SS";
        map['ẞ'] = "SS";
        map['ı'] = "I";
        map['ĸ'] = "K";
        map['ſ'] = "S";
        return map.ToFrozenDictionary();
    }
}
