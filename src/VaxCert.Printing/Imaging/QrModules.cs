using VaxCert.Issuing.Qr;

namespace VaxCert.Printing.Imaging;

/// <summary>The module grid of an HC1's QR symbol (quiet zone included), from QrRenderer's one-pixel-per-module PNG.</summary>
internal static class QrModules
{
    /// <summary>One pixel per module: 0 dark, 255 light. Level Q, as the hcert spec recommends for print.</summary>
    public static GreyImage For(string hc1)
    {
        var png = QrRenderer.RenderPng(hc1, QrErrorCorrection.Q, pixelsPerModule: 1).Content;
        return PngCodec.TryDecode(png, out var failure)
            ?? throw new InvalidOperationException($"QrRenderer produced a PNG this reader cannot decode ({failure}).");
    }

    public static bool IsDark(this GreyImage modules, int x, int y) => modules[x, y] < 128;
}
