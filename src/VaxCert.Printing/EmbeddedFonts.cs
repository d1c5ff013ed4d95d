using System.Reflection;

namespace VaxCert.Printing;

/// <summary>
/// DejaVu Sans regular and bold, shipped inside this assembly (Bitstream Vera licence, Fonts/LICENSE-DejaVu.txt) so that
/// printing needs no system font. It covers every Vietnamese letter with its diacritics, precomposed (NFC).
/// </summary>
internal static class EmbeddedFonts
{
    public const string Family = "DejaVu Sans";
    public const string RegularFace = "DejaVuSans";
    public const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lazy<byte[]> Regular = new(() => Read(RegularFace));
    private static readonly Lazy<byte[]> Bold = new(() => Read(BoldFace));

    /// <summary>The TrueType bytes of a face, by its name (<see cref="RegularFace"/> or <see cref="BoldFace"/>).</summary>
    public static byte[]? Get(string face) => face switch
    {
        RegularFace => Regular.Value,
        BoldFace => Bold.Value,
        _ => null,
    };

    private static byte[] Read(string face)
    {
        var name = $"VaxCert.Printing.Fonts.{face}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font {name} is missing: the build is broken.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
