using System.Formats.Cbor;

namespace VaxCert.Core.Encoding;

/// <summary>
/// Checks RFC 8949 §4.2.1 core deterministic encoding: definite lengths, shortest integer/length forms, and map keys
/// in bytewise lexicographic order of their encodings, with no duplicates. Used to prove what VaxCert writes.
/// </summary>
public static class CborDeterminism
{
    public static bool IsCoreDeterministic(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            // Strict mode already rejects non-shortest forms and duplicate keys; Ctap2Canonical adds ordering and
            // definite lengths, and its order (major type, then length, then bytes) equals bytewise order of encodings.
            // CTAP2 mode forbids tags, so a leading COSE_Sign1 tag (18, one byte 0xD2) is checked separately.
            if (encoded.Length > 0 && encoded.Span[0] == 0xD2)
                encoded = encoded[1..];
            var reader = new CborReader(encoded, CborConformanceMode.Ctap2Canonical);
            Skip(reader);
            return reader.BytesRemaining == 0;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void Skip(CborReader r)
    {
        // SkipValue validates conformance of everything it skips (including nested map ordering).
        r.SkipValue(disableConformanceModeChecks: false);
    }
}
