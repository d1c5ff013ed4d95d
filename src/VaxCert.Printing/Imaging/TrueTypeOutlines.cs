using System.Buffers.Binary;

namespace VaxCert.Printing.Imaging;

/// <summary>
/// Reads glyph outlines from a TrueType font (cmap format 4, hmtx, glyf with composite glyphs), enough to draw captions
/// into PNG images without a graphics library. Only the fonts shipped inside this assembly are read, so the input is
/// trusted; hinting and kerning are ignored (captions are drawn large).
/// </summary>
internal sealed class TrueTypeOutlines
{
    private const int MaxCompositeDepth = 8;
    private readonly byte[] _font;
    private readonly int _glyf, _loca, _hmtx, _numberOfHMetrics, _cmap4;
    private readonly bool _longLoca;

    public TrueTypeOutlines(byte[] font)
    {
        _font = font;
        var tables = new Dictionary<string, int>(StringComparer.Ordinal);
        var count = U16(4);
        for (var i = 0; i < count; i++)
        {
            var record = 12 + 16 * i;
            tables[System.Text.Encoding.ASCII.GetString(font, record, 4)] = (int)U32(record + 8);
        }
        var head = tables["head"];
        UnitsPerEm = U16(head + 18);
        _longLoca = S16(head + 50) == 1;
        var hhea = tables["hhea"];
        Ascender = S16(hhea + 4);
        Descender = S16(hhea + 6);
        _numberOfHMetrics = U16(hhea + 34);
        _glyf = tables["glyf"];
        _loca = tables["loca"];
        _hmtx = tables["hmtx"];
        _cmap4 = FindUnicodeBmpCmap(tables["cmap"]);
    }

    public int UnitsPerEm { get; }
    public int Ascender { get; }
    public int Descender { get; }

    /// <summary>The glyph for a BMP code point (0, the "missing" box, when the font has none).</summary>
    public int GlyphIndex(int codePoint)
    {
        if (codePoint > 0xFFFF) return 0;
        var segX2 = U16(_cmap4 + 6);
        var ends = _cmap4 + 14;
        var starts = ends + segX2 + 2;
        var deltas = starts + segX2;
        var offsets = deltas + segX2;
        for (var s = 0; s < segX2; s += 2)
        {
            if (codePoint > U16(ends + s)) continue;
            var start = U16(starts + s);
            if (codePoint < start) return 0;
            var rangeOffset = U16(offsets + s);
            if (rangeOffset == 0) return (codePoint + S16(deltas + s)) & 0xFFFF;
            var glyph = U16(offsets + s + rangeOffset + 2 * (codePoint - start));
            return glyph == 0 ? 0 : (glyph + S16(deltas + s)) & 0xFFFF;
        }
        return 0;
    }

    /// <summary>Horizontal advance in font units.</summary>
    public int Advance(int glyph) => U16(_hmtx + 4 * Math.Min(glyph, _numberOfHMetrics - 1));

    /// <summary>The glyph's closed contours as polylines in font units (y up), quadratic curves flattened.</summary>
    public List<List<(double X, double Y)>> Outline(int glyph)
    {
        var contours = new List<List<(double X, double Y)>>();
        AddGlyph(glyph, 1, 0, 0, 1, 0, 0, contours, 0);
        return contours;
    }

    private void AddGlyph(int glyph, double a, double b, double c, double d, double dx, double dy, List<List<(double X, double Y)>> into, int depth)
    {
        var start = _longLoca ? (int)U32(_loca + 4 * glyph) : U16(_loca + 2 * glyph) * 2;
        var end = _longLoca ? (int)U32(_loca + 4 * glyph + 4) : U16(_loca + 2 * glyph + 2) * 2;
        if (end <= start) return; // a space: no outline
        var g = _glyf + start;
        var contourCount = S16(g);
        if (contourCount >= 0)
        {
            foreach (var contour in SimpleGlyph(g, contourCount))
                into.Add(contour.Select(p => (a * p.X + c * p.Y + dx, b * p.X + d * p.Y + dy)).ToList());
            return;
        }
        if (depth >= MaxCompositeDepth) return;
        // Composite: Vietnamese letters with two marks (ấ, ằ, ể ...) are built from a base letter and mark glyphs.
        var p2 = g + 10;
        int flags;
        do
        {
            flags = U16(p2);
            var component = U16(p2 + 2);
            p2 += 4;
            double ox, oy;
            if ((flags & 0x1) != 0) { ox = S16(p2); oy = S16(p2 + 2); p2 += 4; }
            else { ox = (sbyte)_font[p2]; oy = (sbyte)_font[p2 + 1]; p2 += 2; }
            if ((flags & 0x2) == 0) { ox = 0; oy = 0; } // point-matched anchors: not used by the shipped fonts
            double ca = 1, cb = 0, cc = 0, cd = 1;
            if ((flags & 0x8) != 0) { ca = cd = F2Dot14(p2); p2 += 2; }
            else if ((flags & 0x40) != 0) { ca = F2Dot14(p2); cd = F2Dot14(p2 + 2); p2 += 4; }
            else if ((flags & 0x80) != 0) { ca = F2Dot14(p2); cb = F2Dot14(p2 + 2); cc = F2Dot14(p2 + 4); cd = F2Dot14(p2 + 6); p2 += 8; }
            // Compose the component transform (then offset) with the parent transform.
            AddGlyph(component, a * ca + c * cb, b * ca + d * cb, a * cc + c * cd, b * cc + d * cd,
                a * ox + c * oy + dx, b * ox + d * oy + dy, into, depth + 1);
        } while ((flags & 0x20) != 0);
    }

    private IEnumerable<List<(double X, double Y)>> SimpleGlyph(int g, int contourCount)
    {
        var endPoints = new int[contourCount];
        for (var i = 0; i < contourCount; i++) endPoints[i] = U16(g + 10 + 2 * i);
        var pointCount = contourCount == 0 ? 0 : endPoints[^1] + 1;
        var p = g + 10 + 2 * contourCount;
        p += 2 + U16(p); // skip instructions
        var flags = new byte[pointCount];
        for (var i = 0; i < pointCount;)
        {
            var f = _font[p++];
            flags[i++] = f;
            if ((f & 0x8) != 0)
                for (var r = _font[p++]; r > 0 && i < pointCount; r--) flags[i++] = f;
        }
        var xs = new int[pointCount];
        var ys = new int[pointCount];
        p = ReadCoordinates(p, flags, xs, shortBit: 0x2, sameBit: 0x10);
        ReadCoordinates(p, flags, ys, shortBit: 0x4, sameBit: 0x20);
        var first = 0;
        foreach (var last in endPoints)
        {
            yield return Flatten(Enumerable.Range(first, last - first + 1).Select(i => (xs[i], ys[i], (flags[i] & 1) != 0)).ToList());
            first = last + 1;
        }
    }

    private int ReadCoordinates(int p, byte[] flags, int[] into, int shortBit, int sameBit)
    {
        var value = 0;
        for (var i = 0; i < flags.Length; i++)
        {
            var f = flags[i];
            if ((f & shortBit) != 0) value += (f & sameBit) != 0 ? _font[p++] : -_font[p++];
            else if ((f & sameBit) == 0) { value += S16(p); p += 2; }
            into[i] = value;
        }
        return p;
    }

    // Quadratic B-spline contour to a polyline: consecutive off-curve points imply an on-curve midpoint between them.
    private static List<(double X, double Y)> Flatten(List<(int X, int Y, bool On)> points)
    {
        var result = new List<(double X, double Y)>();
        if (points.Count == 0) return result;
        var startIndex = points.FindIndex(q => q.On);
        (double X, double Y) start = startIndex >= 0
            ? (points[startIndex].X, points[startIndex].Y)
            : ((points[0].X + points[1 % points.Count].X) / 2.0, (points[0].Y + points[1 % points.Count].Y) / 2.0);
        if (startIndex < 0) startIndex = 0;
        result.Add(start);
        var current = start;
        (double X, double Y)? control = null;
        for (var k = 1; k <= points.Count; k++)
        {
            var q = points[(startIndex + k) % points.Count];
            (double X, double Y) point = (q.X, q.Y);
            if (q.On)
            {
                if (control is { } ctl) Curve(result, current, ctl, point); else result.Add(point);
                current = point;
                control = null;
            }
            else if (control is { } ctl)
            {
                var mid = ((ctl.X + point.X) / 2, (ctl.Y + point.Y) / 2);
                Curve(result, current, ctl, mid);
                current = mid;
                control = point;
            }
            else
            {
                control = point;
            }
        }
        if (control is { } last) Curve(result, current, last, start);
        return result;
    }

    private static void Curve(List<(double X, double Y)> into, (double X, double Y) p0, (double X, double Y) p1, (double X, double Y) p2)
    {
        const int Steps = 8;
        for (var i = 1; i <= Steps; i++)
        {
            var t = i / (double)Steps;
            var u = 1 - t;
            into.Add((u * u * p0.X + 2 * u * t * p1.X + t * t * p2.X, u * u * p0.Y + 2 * u * t * p1.Y + t * t * p2.Y));
        }
    }

    private int FindUnicodeBmpCmap(int cmap)
    {
        var count = U16(cmap + 2);
        for (var i = 0; i < count; i++)
        {
            var platform = U16(cmap + 4 + 8 * i);
            var encoding = U16(cmap + 6 + 8 * i);
            var offset = cmap + (int)U32(cmap + 8 + 8 * i);
            if (((platform == 3 && encoding == 1) || platform == 0) && U16(offset) == 4) return offset;
        }
        throw new InvalidOperationException("The embedded font has no Unicode BMP cmap: the build is broken.");
    }

    private double F2Dot14(int p) => S16(p) / 16384.0;
    private int U16(int p) => BinaryPrimitives.ReadUInt16BigEndian(_font.AsSpan(p));
    private short S16(int p) => BinaryPrimitives.ReadInt16BigEndian(_font.AsSpan(p));
    private uint U32(int p) => BinaryPrimitives.ReadUInt32BigEndian(_font.AsSpan(p));
}
