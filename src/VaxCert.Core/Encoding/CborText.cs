using System.Buffers;
using System.Formats.Cbor;
using System.Text;

namespace VaxCert.Core.Encoding;

/// <summary>
/// Reads CBOR text strings strictly. <see cref="CborReader"/> in Lax mode (which real issuers' encodings need) decodes
/// invalid UTF-8 into U+FFFD instead of failing, so text that differs from what was signed could be shown and checked as
/// if it were the signed text. RFC 8949 §3.1: a text string must be valid UTF-8; anything else is refused here.
/// </summary>
public static class CborText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a definite or indefinite-length text string. False, with the reader left where it was, when the next item is
    /// not a text string (a byte string is not text, whatever its bytes); false, with the item consumed, for invalid UTF-8.
    /// </summary>
    public static bool TryRead(CborReader reader, out string text)
    {
        text = "";
        switch (reader.PeekState())
        {
            case CborReaderState.TextString:
                return TryDecode(reader.ReadDefiniteLengthTextStringBytes().Span, out text);
            case CborReaderState.StartIndefiniteLengthTextString:
            {
                reader.ReadStartIndefiniteLengthTextString();
                var buffer = new ArrayBufferWriter<byte>();
                var valid = true;
                while (reader.PeekState() != CborReaderState.EndIndefiniteLengthTextString)
                {
                    // Each chunk is itself a text string and must be valid UTF-8 on its own (RFC 8949 §3.2.3).
                    var chunk = reader.ReadDefiniteLengthTextStringBytes().Span;
                    valid &= TryDecode(chunk, out _);
                    buffer.Write(chunk);
                }
                reader.ReadEndIndefiniteLengthTextString();
                return valid && TryDecode(buffer.WrittenSpan, out text);
            }
            default:
                return false;
        }
    }

    private static bool TryDecode(ReadOnlySpan<byte> utf8, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(utf8);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
