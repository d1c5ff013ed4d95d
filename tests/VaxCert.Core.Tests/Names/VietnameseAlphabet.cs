using System.Text;

namespace VaxCert.Core.Tests.Names;

/// <summary>
/// The full Vietnamese alphabet with every tone, built from base letters plus combining tone marks (not from the code under
/// test), each paired with the A-Z letter a human would write for it.
/// </summary>
internal static class VietnameseAlphabet
{
    // Grave, acute, hook above, tilde, dot below: the five tones (plus "no tone").
    private static readonly string[] Tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];

    private static readonly (string Base, char Expected)[] Vowels =
    [
        ("a", 'A'), ("ă", 'A'), ("â", 'A'), ("e", 'E'), ("ê", 'E'), ("i", 'I'),
        ("o", 'O'), ("ô", 'O'), ("ơ", 'O'), ("u", 'U'), ("ư", 'U'), ("y", 'Y'),
    ];

    private const string Consonants = "bcdghklmnpqrstvx";

    /// <summary>Every letter, precomposed (NFC), upper and lower case, with its expected ICAO letter. 12×6×2 vowels + consonants.</summary>
    public static IReadOnlyList<(string Letter, char Expected)> Letters { get; } = Build();

    private static List<(string, char)> Build()
    {
        var letters = new List<(string, char)>();
        foreach (var (vowel, expected) in Vowels)
            foreach (var tone in Tones)
            {
                var lower = (vowel + tone).Normalize(NormalizationForm.FormC);
                letters.Add((lower, expected));
                letters.Add((lower.ToUpperInvariant(), expected));
            }
        foreach (var c in Consonants)
        {
            letters.Add((c.ToString(), char.ToUpperInvariant(c)));
            letters.Add((char.ToUpperInvariant(c).ToString(), char.ToUpperInvariant(c)));
        }
        letters.Add(("đ", 'D'));
        letters.Add(("Đ", 'D'));
        return letters;
    }
}
