using System.Text;

namespace VaxCert.Printing.Imaging;

/// <summary>
/// Draws anti-aliased text into a <see cref="GreyImage"/> with the embedded DejaVu Sans: outlines are filled with the
/// non-zero rule, four sub-scanlines per pixel row and exact horizontal coverage. Text is put in NFC first so a decomposed
/// "Nữ" draws like a precomposed one.
/// </summary>
internal static class TextPainter
{
    private const int SubRows = 4;
    private static readonly Lazy<TrueTypeOutlines> RegularFont = new(() => new TrueTypeOutlines(EmbeddedFonts.Get(EmbeddedFonts.RegularFace)!));
    private static readonly Lazy<TrueTypeOutlines> BoldFont = new(() => new TrueTypeOutlines(EmbeddedFonts.Get(EmbeddedFonts.BoldFace)!));

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="pixelSize"/> (the em size).</summary>
    public static double Measure(string text, double pixelSize, bool bold = false)
    {
        var font = Font(bold);
        var units = 0;
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes()) units += font.Advance(font.GlyphIndex(rune.Value));
        return units * pixelSize / font.UnitsPerEm;
    }

    /// <summary>The largest size up to <paramref name="pixelSize"/> at which the text fits <paramref name="maxWidth"/>.</summary>
    public static double Fit(string text, double pixelSize, double maxWidth, bool bold = false)
    {
        var width = Measure(text, pixelSize, bold);
        return width <= maxWidth ? pixelSize : pixelSize * maxWidth / width;
    }

    /// <summary>Draws text with its top-left corner at (<paramref name="x"/>, <paramref name="top"/>); returns the line height used.</summary>
    public static double Draw(GreyImage image, string text, double x, double top, double pixelSize, bool bold = false, byte ink = 0)
    {
        var font = Font(bold);
        var scale = pixelSize / font.UnitsPerEm;
        var baseline = top + font.Ascender * scale;
        var edges = new List<Edge>();
        var penX = x;
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var glyph = font.GlyphIndex(rune.Value);
            foreach (var contour in font.Outline(glyph))
            {
                for (var i = 0; i < contour.Count; i++)
                {
                    var (x0, y0) = contour[i];
                    var (x1, y1) = contour[(i + 1) % contour.Count];
                    // Font units are y-up; image rows go down.
                    var a = (X: penX + x0 * scale, Y: baseline - y0 * scale);
                    var b = (X: penX + x1 * scale, Y: baseline - y1 * scale);
                    if (a.Y != b.Y) edges.Add(new Edge(a.X, a.Y, b.X, b.Y));
                }
            }
            penX += font.Advance(glyph) * scale;
        }
        Fill(image, edges, ink);
        return (font.Ascender - font.Descender) * scale;
    }

    private static TrueTypeOutlines Font(bool bold) => bold ? BoldFont.Value : RegularFont.Value;

    private readonly record struct Edge(double X0, double Y0, double X1, double Y1)
    {
        public int Direction => Y1 > Y0 ? 1 : -1;
        public double MinY => Math.Min(Y0, Y1);
        public double MaxY => Math.Max(Y0, Y1);
        public double XAt(double y) => X0 + (y - Y0) * (X1 - X0) / (Y1 - Y0);
    }

    private static void Fill(GreyImage image, List<Edge> edges, byte ink)
    {
        if (edges.Count == 0) return;
        var top = Math.Max(0, (int)Math.Floor(edges.Min(e => e.MinY)));
        var bottom = Math.Min(image.Height - 1, (int)Math.Ceiling(edges.Max(e => e.MaxY)));
        var coverage = new double[image.Width + 1];
        var crossings = new List<(double X, int Direction)>();
        for (var y = top; y <= bottom; y++)
        {
            Array.Clear(coverage);
            for (var s = 0; s < SubRows; s++)
            {
                var sy = y + (s + 0.5) / SubRows;
                crossings.Clear();
                foreach (var e in edges)
                    if (sy >= e.MinY && sy < e.MaxY) crossings.Add((e.XAt(sy), e.Direction));
                crossings.Sort((p, q) => p.X.CompareTo(q.X));
                var winding = 0;
                for (var i = 0; i < crossings.Count - 1; i++)
                {
                    winding += crossings[i].Direction;
                    if (winding != 0) AddSpan(coverage, crossings[i].X, crossings[i + 1].X, 1.0 / SubRows);
                }
            }
            for (var x = 0; x < image.Width; x++)
            {
                if (coverage[x] <= 0) continue;
                var alpha = Math.Min(1, coverage[x]);
                image[x, y] = (byte)Math.Round(image[x, y] * (1 - alpha) + ink * alpha);
            }
        }
    }

    // Adds weight × the covered fraction of each pixel between x0 and x1.
    private static void AddSpan(double[] coverage, double x0, double x1, double weight)
    {
        x0 = Math.Clamp(x0, 0, coverage.Length - 1);
        x1 = Math.Clamp(x1, 0, coverage.Length - 1);
        if (x1 <= x0) return;
        var first = (int)x0;
        var last = (int)x1;
        if (first == last)
        {
            coverage[first] += (x1 - x0) * weight;
            return;
        }
        coverage[first] += (first + 1 - x0) * weight;
        for (var x = first + 1; x < last; x++) coverage[x] += weight;
        coverage[last] += (x1 - last) * weight;
    }
}
