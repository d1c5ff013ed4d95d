using QRCoder;

namespace VaxCert.Issuing.Qr;

/// <summary>QR error-correction level. Q (~25 %) is what the hcert spec recommends; M gives a smaller code.</summary>
public enum QrErrorCorrection { L, M, Q, H }

/// <summary>One encoded symbol with the images rendered from it.</summary>
public sealed record QrRendering(int Version, int ModulesPerSide, byte[]? Png, string? Svg);

/// <summary>A rendered QR code and the facts a printer or UI needs.</summary>
public sealed record QrImage(byte[] Content, string MediaType, int Version, int ModulesPerSide);

/// <summary>
/// Renders HC1 text as a QR code in alphanumeric mode (the Base45 alphabet is the QR alphanumeric set), as PNG or SVG.
/// QRCoder is the only QR dependency and stays behind this class.
/// </summary>
public static class QrRenderer
{
    /// <summary>Alphanumeric capacity of a version-40 symbol per error-correction level.</summary>
    public static int MaxAlphanumericLength(QrErrorCorrection level) => level switch
    {
        QrErrorCorrection.L => 4296,
        QrErrorCorrection.M => 3391,
        QrErrorCorrection.Q => 2420,
        _ => 1852,
    };

    /// <summary>Whether <paramref name="text"/> fits a QR code at <paramref name="level"/>.</summary>
    public static bool Fits(string text, QrErrorCorrection level = QrErrorCorrection.Q)
        => text.Length <= MaxAlphanumericLength(level) && IsAlphanumeric(text);

    public static QrImage RenderPng(string text, QrErrorCorrection level = QrErrorCorrection.Q, int pixelsPerModule = 6)
    {
        using var data = Generate(text, level);
        using var png = new PngByteQRCode(data);
        return new QrImage(png.GetGraphic(pixelsPerModule), "image/png", data.Version, ModuleCount(data));
    }

    public static QrImage RenderSvg(string text, QrErrorCorrection level = QrErrorCorrection.Q, int pixelsPerModule = 6)
    {
        using var data = Generate(text, level);
        using var svg = new SvgQRCode(data);
        var markup = svg.GetGraphic(pixelsPerModule);
        return new QrImage(System.Text.Encoding.UTF8.GetBytes(markup), "image/svg+xml", data.Version, ModuleCount(data));
    }

    /// <summary>
    /// Encodes the symbol once and renders the requested images from it. Encoding (with mask selection) is the
    /// expensive part, several milliseconds per certificate, so callers that want the version and images use this.
    /// </summary>
    public static QrRendering Render(string text, QrErrorCorrection level, bool png, bool svg, int pixelsPerModule = 6)
    {
        using var data = Generate(text, level);
        byte[]? pngBytes = null;
        string? svgText = null;
        // QRCoder renderers dispose the QRCodeData they were given, so they are not disposed here: `data` is, once.
        if (png) pngBytes = new PngByteQRCode(data).GetGraphic(pixelsPerModule);
        if (svg) svgText = new SvgQRCode(data).GetGraphic(pixelsPerModule);
        return new QrRendering(data.Version, ModuleCount(data), pngBytes, svgText);
    }

    /// <summary>The QR version (1..40) the text needs at the given level.</summary>
    public static int VersionFor(string text, QrErrorCorrection level = QrErrorCorrection.Q)
    {
        using var data = Generate(text, level);
        return data.Version;
    }

    private static QRCodeData Generate(string text, QrErrorCorrection level)
    {
        if (!Fits(text, level))
            throw new ArgumentException($"Text of {text.Length} characters does not fit a QR code at level {level} in alphanumeric mode.", nameof(text));
        using var generator = new QRCodeGenerator();
        // Base45 text is all in the QR alphanumeric set, so QRCoder never needs byte mode. QRCoder 1.8 segments optimally:
        // a long digit run may go in a numeric segment, which is never larger than alphanumeric and which every reader
        // decodes; QRCoder offers no way to force a single alphanumeric segment, and we do not reach into its internals.
        return generator.CreateQrCode(text, level switch
        {
            QrErrorCorrection.L => QRCodeGenerator.ECCLevel.L,
            QrErrorCorrection.M => QRCodeGenerator.ECCLevel.M,
            QrErrorCorrection.Q => QRCodeGenerator.ECCLevel.Q,
            _ => QRCodeGenerator.ECCLevel.H,
        });
    }

    // QRCoder's module matrix includes a 4-module quiet zone on each side.
    private static int ModuleCount(QRCodeData data) => data.ModuleMatrix.Count - 8;

    private static bool IsAlphanumeric(string text)
    {
        foreach (var c in text)
            if (!(c is >= '0' and <= '9' or >= 'A' and <= 'Z' or ' ' or '$' or '%' or '*' or '+' or '-' or '.' or '/' or ':'))
                return false;
        return true;
    }
}
