using System.Formats.Cbor;
using VaxCert.Core.Encoding;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Seeded mutations of a valid HC1 string at every layer: Base45 text (flips, truncation, insertion), compressed bytes,
/// COSE bytes re-compressed, and CBOR edits (huge lengths, deep nesting, payload edits, signature edits), plus zip bombs.
/// The same seed gives the same cases. Shared by the test suite (linked source) and the verify-mutations bench scenario.
/// </summary>
public sealed class Hc1Mutator
{
    private const string Base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private readonly Random _random;
    private readonly string _text;
    private readonly byte[] _compressed;
    private readonly byte[] _cose;

    /// <summary>Mutates <paramref name="validHc1"/>, whose layers must decode.</summary>
    public Hc1Mutator(string validHc1, int seed)
    {
        _random = new Random(seed);
        _text = validHc1;
        if (!ContextPrefix.TryStrip(validHc1, out var body, out _) || !Base45.TryDecode(body, out _compressed, out _)
            || !Zlib.TryDecompress(_compressed, out _cose, out _))
            throw new ArgumentException("the seed HC1 must decode", nameof(validHc1));
    }

    /// <summary>The kinds of mutation, for counting.</summary>
    public static readonly string[] Kinds =
    [
        "text-flip", "text-truncate", "text-insert", "compressed-flip", "compressed-truncate", "cose-flip", "cose-truncate",
        "cose-insert", "cbor-huge-length", "cbor-deep-nesting", "payload-edit", "signature-edit", "zip-bomb",
    ];

    /// <summary>One mutated input and the kind of mutation that made it.</summary>
    public (string Kind, string Text) Next()
    {
        var kind = Kinds[_random.Next(Kinds.Length)];
        return (kind, kind switch
        {
            "text-flip" => FlipText(),
            "text-truncate" => _text[.._random.Next(_text.Length)],
            "text-insert" => _text.Insert(_random.Next(4, _text.Length), RandomText(_random.Next(1, 6))),
            "compressed-flip" => Wrap(Flip(_compressed)),
            "compressed-truncate" => Wrap(_compressed[.._random.Next(_compressed.Length)]),
            "cose-flip" => WrapCose(Flip(_cose)),
            "cose-truncate" => WrapCose(_cose[.._random.Next(_cose.Length)]),
            "cose-insert" => WrapCose(Insert(_cose)),
            "cbor-huge-length" => WrapCose(HugeLength()),
            "cbor-deep-nesting" => WrapCose(DeepNesting()),
            "payload-edit" => WrapCose(EditPayload()),
            "signature-edit" => WrapCose(EditSignature()),
            _ => Wrap(Zlib.Compress(new byte[_random.Next(65 * 1024, 2 * 1024 * 1024)])),
        });
    }

    private string FlipText()
    {
        var chars = _text.ToCharArray();
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            var at = _random.Next(chars.Length);
            chars[at] = _random.Next(10) == 0 ? (char)_random.Next(0, 0x250) : Base45Alphabet[_random.Next(Base45Alphabet.Length)];
        }
        return new string(chars);
    }

    private string RandomText(int length) => new(Enumerable.Range(0, length).Select(_ => Base45Alphabet[_random.Next(45)]).ToArray());

    private byte[] Flip(byte[] source)
    {
        var copy = (byte[])source.Clone();
        for (var n = _random.Next(1, 4); n > 0; n--)
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] Insert(byte[] source)
    {
        var at = _random.Next(source.Length + 1);
        var extra = new byte[_random.Next(1, 9)];
        _random.NextBytes(extra);
        return [.. source.AsSpan(0, at), .. extra, .. source.AsSpan(at)];
    }

    // Overwrites the header of a random byte/text string or array/map with an 8-byte length near 2^63 or 2^32.
    private byte[] HugeLength()
    {
        var copy = (byte[])_cose.Clone();
        var at = _random.Next(copy.Length - 9);
        var major = (byte)(new[] { 0x40, 0x60, 0x80, 0xA0 }[_random.Next(4)] | 27);
        copy[at] = major;
        var length = _random.Next(2) == 0 ? 0x7FFF_FFFF_FFFF_FFFFUL : 0x1_0000_0000UL + (ulong)_random.Next();
        for (var i = 0; i < 8; i++) copy[at + 1 + i] = (byte)(length >> (56 - 8 * i));
        return copy;
    }

    // A COSE_Sign1 whose unprotected header or payload holds deeply nested arrays/maps.
    private byte[] DeepNesting()
    {
        var depth = _random.Next(20, 5000);
        var openers = new byte[depth];
        for (var i = 0; i < depth; i++) openers[i] = (byte)(_random.Next(2) == 0 ? 0x81 : 0x9F); // [x] or [_ x ...]
        var nested = new List<byte>(openers) { 0x00 };
        for (var i = depth - 1; i >= 0; i--)
            if (openers[i] == 0x9F) nested.Add(0xFF); // only indefinite-length arrays need a break
        var message = Parse();
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(message.Protected);
        if (_random.Next(2) == 0)
        {
            w.WriteStartMap(1); w.WriteInt32(99); WriteRaw(w, nested.ToArray()); w.WriteEndMap();
            w.WriteByteString(message.Payload);
        }
        else
        {
            w.WriteStartMap(0); w.WriteEndMap();
            w.WriteByteString(CwtWithDcc(nested.ToArray()));
        }
        w.WriteByteString(message.Signature);
        w.WriteEndArray();
        return w.Encode();
    }

    // Lax writer rejects ill-formed raw values, so mis-nested bytes go in as one opaque chunk appended by hand.
    private static void WriteRaw(CborWriter w, byte[] raw)
    {
        try { w.WriteEncodedValue(raw); }
        catch (ArgumentException) { w.WriteByteString(raw); }
    }

    private static byte[] CwtWithDcc(byte[] dcc)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(1);
        w.WriteInt32(-260);
        w.WriteStartMap(1);
        w.WriteInt32(1);
        WriteRaw(w, dcc);
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    private byte[] EditPayload()
    {
        var m = Parse();
        var payload = (byte[])m.Payload.Clone();
        payload[_random.Next(payload.Length)] ^= (byte)(1 << _random.Next(8));
        return CoseSign1.Encode(m.Protected, payload, m.Signature);
    }

    private byte[] EditSignature()
    {
        var m = Parse();
        var signature = _random.Next(3) switch
        {
            0 => Flip(m.Signature),
            1 => m.Signature[.._random.Next(m.Signature.Length)],
            _ => [.. m.Signature, .. new byte[_random.Next(1, 8)]],
        };
        return CoseSign1.Encode(m.Protected, m.Payload, signature);
    }

    private (byte[] Protected, byte[] Payload, byte[] Signature) Parse()
    {
        if (!CoseSign1Message.TryDecode(_cose, out var message, out _)) throw new InvalidOperationException("seed COSE must decode");
        return (message!.RawProtectedHeader.ToArray(), message.Payload.ToArray(), message.Signature.ToArray());
    }

    private static string Wrap(byte[] compressed) => ContextPrefix.Add(Base45.Encode(compressed));

    private static string WrapCose(byte[] cose) => Wrap(Zlib.Compress(cose));

    /// <summary>True when <paramref name="hc1"/> decodes to the very same signed bytes (protected, payload, signature) as <paramref name="original"/>.</summary>
    public static bool SameSignedBytes(string hc1, string original)
    {
        static CoseSign1Message? Signed(string text)
            => VaxCert.Core.Decoding.Hc1Decoder.Decode(text, new VaxCert.Core.Decoding.Hc1DecodeOptions { MaxInflatedBytes = 1 << 20 }).Message;
        return Signed(hc1) is { } a && Signed(original) is { } b
               && a.RawProtectedHeader.Span.SequenceEqual(b.RawProtectedHeader.Span)
               && a.Payload.Span.SequenceEqual(b.Payload.Span)
               && a.Signature.Span.SequenceEqual(b.Signature.Span);
    }
}
