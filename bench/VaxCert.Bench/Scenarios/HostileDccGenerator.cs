using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Seeded, structure-aware hostile DCC content, validly signed with a trusted key (issue 12): it edits the DCC as a tree
/// (keys, types, strings, numbers, dates, UTF-8, extra and duplicate keys, huge values, CBOR encodings JSON cannot show),
/// wraps it in a CWT and re-signs it, so every case reaches the content stages. A share of cases breaks the signature
/// instead, to prove a forgery is Invalid whatever its content. Each case says whether its content is valid JSON (then
/// <see cref="HostileCase.Json"/> is what an independent oracle must judge) and whether the edit made it invalid by
/// construction. Shared by the test suite (linked source) and the verify-hostile bench scenario.
/// </summary>
public sealed class HostileDccGenerator
{
    /// <summary>The kinds of edit, for counting.</summary>
    public static readonly string[] Kinds =
    [
        "drop-key", "extra-key", "type-swap", "string-edit", "number-edit", "date-edit", "invalid-utf8", "bytes-for-text",
        "duplicate-key", "huge-value", "version-edit", "group-shape", "indefinite-length", "integer-key", "valid-variant",
        "signature-flip", "signature-untrusted", "signature-truncated", "algorithm-swap",
    ];

    private static readonly string[] HostileStrings =
    [
        "", " ", "PHAM\n", "PHAM\r", "PHAM\u2028", "\nPHAM", "pham", "PH AM", "PHAM<", "Ph\u00E1m", "\u0661\u0662\u0663", "\0",
        "EU/1/20/1528\n", "840539006\n", "VN\n", "URN:UVCI:01:VN:HN/ABC123#X\n", "\uD83D\uDE00", "A\u0301", "ﬀ", "ＰＨＡＭ",
        "1.3.3\n", "1.3.3 ", "1985-04-12\n", "2021-09-14\n",
    ];

    private static readonly string[] HostileDates =
    [
        "2021-02-30", "", "2021-13-01", "2021-00-10", "2021-2-3", "20210214", "2021-02-14T25:00:00Z", "2021-02-14 10:00:00",
        "0000-01-01", "2021-02-29", "1900-02-29", "2021-04-31", "2021-02-14T10:00:00+25:00", "2021-02-14Tgarbage",
        "2021-02-14\n", "２０２１-02-14", "2021-02-14T10:00:60Z",
        // Real dates, some at the edges, so valid variants stay possible.
        "2020-02-29", "2000-02-29", "2021-12-31", "2021-02-14T10:00:00Z", "2021-02-14T10:00:00.123+02:00",
    ];

    private readonly Random _random;
    private readonly SoftwareCoseSigner _signer;
    private readonly SoftwareCoseSigner _untrusted;
    private readonly DateTimeOffset _now;

    /// <summary>Cases signed by <paramref name="trustedSigner"/> (the verifier must trust it), seeded.</summary>
    public HostileDccGenerator(SoftwareCoseSigner trustedSigner, SoftwareCoseSigner untrustedSigner, DateTimeOffset now, int seed)
    {
        _signer = trustedSigner;
        _untrusted = untrustedSigner;
        _now = now;
        _random = new Random(seed);
    }

    /// <summary>The next case.</summary>
    public HostileCase Next()
    {
        var kind = Kinds[_random.Next(Kinds.Length)];
        var dcc = Samples[_random.Next(Samples.Length)]();
        var knownInvalid = false;
        var signer = _signer;
        Func<byte[], byte[]?> tamper = _ => null;
        int? algorithm = null;
        var signatureBroken = kind.StartsWith("signature", StringComparison.Ordinal) || kind == "algorithm-swap";
        // A date edit first on a third of the content cases, so edits combine (first, so it cannot undo the main edit).
        if (!signatureBroken && _random.Next(3) == 0)
            EditDate(dcc);
        switch (kind)
        {
            case "drop-key": knownInvalid = DropKey(dcc); break;
            case "extra-key": AddKey(dcc); break;
            case "type-swap": knownInvalid = SwapType(dcc); break;
            case "string-edit": ReplaceLeaf(dcc, n => n.Kind == NodeKind.Text, () => CNode.Text(Pick(HostileStrings))); break;
            case "number-edit": knownInvalid = EditNumber(dcc); break;
            case "date-edit": EditDate(dcc); break;
            case "invalid-utf8": knownInvalid = ReplaceLeaf(dcc, n => n.Kind == NodeKind.Text, () => CNode.RawText(InvalidUtf8())); break;
            case "bytes-for-text": knownInvalid = ReplaceLeaf(dcc, n => n.Kind == NodeKind.Text, () => CNode.Bytes(Encoding.UTF8.GetBytes("PHAM"))); break;
            case "duplicate-key": knownInvalid = DuplicateKey(dcc); break;
            case "huge-value": knownInvalid = Huge(dcc); break;
            case "version-edit": dcc.Set("ver", CNode.Text(Pick(["1.0.0", "1.3.0", "1.3.3\n", "2.0.0", "1.3", "01.3.3", " 1.3.3", "1.3.3.0", "1.2.1", "9.9.9", "1.3.3\r\n"]))); break;
            case "group-shape": knownInvalid = GroupShape(dcc); break;
            case "indefinite-length": MarkIndefinite(dcc); break;
            case "integer-key": IntegerKey(dcc); break;
            case "valid-variant": break;
            case "signature-flip": tamper = s => { s[_random.Next(s.Length)] ^= (byte)(1 << _random.Next(8)); return s; }; break;
            case "signature-untrusted": signer = _untrusted; break;
            case "signature-truncated": tamper = s => s[..^1]; break;
            default: algorithm = signer.Algorithm == CoseAlgorithm.ES256 ? (int)CoseAlgorithm.PS256 : (int)CoseAlgorithm.ES256; break;
        }
        var hc1 = Sign(dcc.ToCbor(), signer, tamper, algorithm);
        return new HostileCase(kind, hc1, dcc.ToJson(), knownInvalid, signatureBroken);
    }

    private string Sign(byte[] dccCbor, SoftwareCoseSigner signer, Func<byte[], byte[]?> tamper, int? algorithm)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(4);
        w.WriteInt32(1); w.WriteTextString("VN");
        w.WriteInt32(4); w.WriteInt64(_now.AddDays(300).ToUnixTimeSeconds());
        w.WriteInt32(6); w.WriteInt64(_now.AddDays(-5).ToUnixTimeSeconds());
        w.WriteInt32(-260); w.WriteStartMap(1); w.WriteInt32(1); w.WriteEncodedValue(dccCbor); w.WriteEndMap();
        w.WriteEndMap();
        var payload = w.Encode();
        var header = new CborWriter(CborConformanceMode.Lax);
        header.WriteStartMap(2);
        header.WriteInt32(1); header.WriteInt32(algorithm ?? (int)signer.Algorithm);
        header.WriteInt32(4); header.WriteByteString(signer.KeyId.Span);
        header.WriteEndMap();
        var protectedHeader = header.Encode();
        var signature = signer.Sign(CoseSign1.BuildToBeSigned(protectedHeader, payload));
        signature = tamper(signature) ?? signature;
        return ContextPrefix.Add(Base45.Encode(Zlib.Compress(CoseSign1.Encode(protectedHeader, payload, signature))));
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    // Every node of the tree with its parent map entry, for picking edit targets.
    private List<(CNode Parent, int Index, CNode Node)> Slots(CNode root)
    {
        var slots = new List<(CNode, int, CNode)>();
        void Walk(CNode n)
        {
            for (var i = 0; i < n.Children.Count; i++)
            {
                slots.Add((n, i, n.Children[i].Value));
                Walk(n.Children[i].Value);
            }
        }
        Walk(root);
        return slots;
    }

    private bool ReplaceLeaf(CNode root, Func<CNode, bool> which, Func<CNode> replacement)
    {
        var slots = Slots(root).Where(s => which(s.Node)).ToList();
        if (slots.Count == 0) return false;
        var (parent, index, _) = Pick(slots);
        parent.Children[index] = (parent.Children[index].Key, replacement());
        return true;
    }

    private bool DropKey(CNode root)
    {
        var slots = Slots(root).Where(s => s.Parent.Kind == NodeKind.Map).ToList();
        var (parent, index, _) = Pick(slots);
        var key = parent.Children[index].Key;
        parent.Children.RemoveAt(index);
        // Required by every schema: ver, nam, dob (1.3.x) and the entry fields; optional ones (fn, gn) are not invalid.
        return key is "ver" or "nam" or "tg" or "ci" or "co" or "is";
    }

    private void AddKey(CNode root)
    {
        var maps = Slots(root).Select(s => s.Node).Where(n => n.Kind == NodeKind.Map).Append(root).ToList();
        var name = Pick(["x", "", "V", "ver ", "\u00E9", "extension", "dn2", "$ref", "__proto__", new string('k', 300)]);
        if (Pick(maps).Children.Any(c => c.Key == name)) return;
        Pick(maps).Children.Add((name, RandomValue()));
    }

    private CNode RandomValue() => _random.Next(8) switch
    {
        0 => CNode.Int(_random.Next(-5, 100)),
        1 => CNode.Float(_random.NextDouble() * 10),
        2 => CNode.Bool(_random.Next(2) == 0),
        3 => CNode.Null(),
        4 => CNode.Text(Pick(HostileStrings)),
        5 => CNode.Bytes([1, 2, 3]),
        6 => CNode.Array(CNode.Int(1), CNode.Text("a")),
        _ => CNode.Map(("a", CNode.Int(1))),
    };

    private bool SwapType(CNode root)
    {
        var slots = Slots(root);
        var (parent, index, node) = Pick(slots);
        var replacement = RandomValue();
        if (replacement.Kind == node.Kind) return false;
        parent.Children[index] = (parent.Children[index].Key, replacement);
        // A byte string is never valid content; other swaps are left to the oracle.
        return replacement.Kind == NodeKind.Bytes;
    }

    private bool EditNumber(CNode root)
    {
        var (value, invalid) = Pick<(CNode, bool)>(
        [
            (CNode.Int(0), true), (CNode.Int(-1), true), (CNode.Float(1.0), false), (CNode.Float(0.9999999999999999), true),
            (CNode.Float(1.5), true), (CNode.Int(int.MaxValue + 1L), true), (CNode.Int((1L << 53) + 1), true),
            (CNode.Float(9.223372036854775807E18), true), (CNode.UInt(ulong.MaxValue), true), (CNode.Half(1.0), false),
            (CNode.Float(double.NaN), true), (CNode.Float(double.PositiveInfinity), true), (CNode.Float(1e300), true),
            (CNode.Float(-0.0), true), (CNode.Int(2), false), (CNode.Float(2.0000000000000004), true), (CNode.Text("2"), true),
        ]);
        // Doses live in v entries only; elsewhere the number lands as an extra value.
        var entries = Slots(root).Where(s => s.Node.Kind == NodeKind.Map && s.Node.Children.Any(c => c.Key == "dn")).ToList();
        if (entries.Count == 0) { AddKey(root); return false; }
        var entry = Pick(entries).Node;
        entry.Set(Pick(["dn", "sd"]), value);
        return invalid;
    }

    private void EditDate(CNode root)
    {
        var slots = Slots(root).Where(s => s.Parent.Kind == NodeKind.Map
            && s.Parent.Children[s.Index].Key is "dt" or "dob" or "sc" or "dr" or "fr" or "df" or "du").ToList();
        if (slots.Count == 0) return;
        var (parent, index, _) = Pick(slots);
        parent.Children[index] = (parent.Children[index].Key, CNode.Text(Pick(HostileDates)));
    }

    private byte[] InvalidUtf8() => Pick<byte[]>(
    [
        [0x50, 0xC3, 0x28], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x50, 0x48, 0xE2, 0x82],
        [0xFF, 0xFE], [0xE0, 0x80, 0xAF],
    ]);

    private bool DuplicateKey(CNode root)
    {
        var maps = Slots(root).Select(s => s.Node).Where(n => n.Kind == NodeKind.Map && n.Children.Count > 0).Append(root).ToList();
        var map = Pick(maps);
        var (key, value) = Pick(map.Children);
        map.Children.Add((key, _random.Next(2) == 0 ? value : CNode.Text("OTHER")));
        return true;
    }

    private bool Huge(CNode root)
    {
        switch (_random.Next(4))
        {
            case 0: root.Set("ver", CNode.Text(new string('1', 16_000))); return false; // the ver pattern's "." matches digits too
            case 1: root.Set("ver", CNode.Text(new string('1', 8_000) + "." + new string('2', 4_000) + "x")); return true;
            case 2:
                ReplaceLeaf(root, n => n.Kind == NodeKind.Text, () => CNode.Text(new string('A', 16_000)));
                return false; // a long fnt may be too long for the schema; the oracle decides
            default:
                var many = CNode.Array();
                for (var i = 0; i < 1000; i++) many.Children.Add((null, CNode.Int(i)));
                root.Set("x", many);
                return false;
        }
    }

    private bool GroupShape(CNode root)
    {
        var group = root.Children.FirstOrDefault(c => c.Key is "v" or "t" or "r");
        if (group.Value is null) return false;
        switch (_random.Next(4))
        {
            case 0: root.Set(group.Key!, group.Value.Children[0].Value); return true;           // an object, not an array
            case 1: root.Set(group.Key!, CNode.Array()); return true;                            // no entry
            case 2: group.Value.Children.Add((null, group.Value.Children[0].Value.Clone())); return true; // two entries
            default: root.Set(group.Key == "v" ? "r" : "v", group.Value.Clone()); return true;   // two types
        }
    }

    private void MarkIndefinite(CNode root)
    {
        foreach (var (_, _, node) in Slots(root))
            if (_random.Next(2) == 0) node.Indefinite = true;
        root.Indefinite = true;
    }

    private void IntegerKey(CNode root)
    {
        var maps = Slots(root).Select(s => s.Node).Where(n => n.Kind == NodeKind.Map && n.Children.Count > 0).Append(root).ToList();
        var map = Pick(maps);
        var index = _random.Next(map.Children.Count);
        map.IntegerKeys.Add(index); // written as the integer key `index` (the verifier reads it as the text "index")
    }

    private static readonly Func<CNode>[] Samples =
    [
        () => CNode.Map(
            ("ver", CNode.Text("1.3.3")),
            ("nam", CNode.Map(("fn", CNode.Text("Nguyễn")), ("fnt", CNode.Text("NGUYEN")), ("gn", CNode.Text("Thị Minh Khai")), ("gnt", CNode.Text("THI<MINH<KHAI")))),
            ("dob", CNode.Text("1985-04-12")),
            ("v", CNode.Array(CNode.Map(
                ("tg", CNode.Text("840539006")), ("vp", CNode.Text("1119349007")), ("mp", CNode.Text("EU/1/20/1528")),
                ("ma", CNode.Text("ORG-100030215")), ("dn", CNode.Int(2)), ("sd", CNode.Int(2)), ("dt", CNode.Text("2021-09-14")),
                ("co", CNode.Text("VN")), ("is", CNode.Text("Ministry of Health of Viet Nam")), ("ci", CNode.Text("URN:UVCI:01:VN:HN/ABC123#X")))))),
        () => CNode.Map(
            ("ver", CNode.Text("1.3.3")),
            ("nam", CNode.Map(("fnt", CNode.Text("TRAN")), ("gnt", CNode.Text("AN")))),
            ("dob", CNode.Text("1990")),
            ("t", CNode.Array(CNode.Map(
                ("tg", CNode.Text("840539006")), ("tt", CNode.Text("LP6464-4")), ("nm", CNode.Text("Roche LightCycler qPCR")),
                ("sc", CNode.Text("2021-05-18T10:00:00Z")), ("tr", CNode.Text("260415000")), ("tc", CNode.Text("Bach Mai Hospital")),
                ("co", CNode.Text("VN")), ("is", CNode.Text("Ministry of Health of Viet Nam")), ("ci", CNode.Text("URN:UVCI:01:VN:T/2#B")))))),
        () => CNode.Map(
            ("ver", CNode.Text("1.3.3")),
            ("nam", CNode.Map(("fn", CNode.Text("Lê")), ("fnt", CNode.Text("LE")))),
            ("dob", CNode.Text("1979-07")),
            ("r", CNode.Array(CNode.Map(
                ("tg", CNode.Text("840539006")), ("fr", CNode.Text("2021-05-07")), ("co", CNode.Text("VN")),
                ("is", CNode.Text("Ministry of Health of Viet Nam")), ("df", CNode.Text("2021-05-18")), ("du", CNode.Text("2021-11-05")),
                ("ci", CNode.Text("URN:UVCI:01:VN:R/1#A")))))),
    ];
}

/// <summary>One generated case.</summary>
/// <param name="Kind">Which edit made it.</param>
/// <param name="Hc1">The QR text.</param>
/// <param name="Json">The DCC as JSON (integer map keys in their decimal form, as the verifier reads them), or null when the
/// CBOR holds something JSON cannot (bytes, invalid UTF-8, duplicate keys, NaN, infinities).</param>
/// <param name="KnownInvalid">The edit made the content invalid by construction.</param>
/// <param name="SignatureBroken">The signature does not verify with a trusted key (or the alg was changed after signing).</param>
public sealed record HostileCase(string Kind, string Hc1, JsonNode? Json, bool KnownInvalid, bool SignatureBroken)
{
    /// <summary>Not expressible as JSON, so never valid DCC content.</summary>
    public bool NotJson => Json is null;
}

internal enum NodeKind { Map, Array, Text, RawText, Bytes, Int, UInt, Float, Half, Bool, Null }

/// <summary>A CBOR tree that can hold what JSON cannot (duplicate keys, bytes, invalid UTF-8), with its own writer.</summary>
internal sealed class CNode
{
    public NodeKind Kind { get; private init; }
    public List<(string? Key, CNode Value)> Children { get; } = [];
    public HashSet<int> IntegerKeys { get; } = [];
    public bool Indefinite { get; set; }
    private string? _text;
    private byte[]? _bytes;
    private long _int;
    private ulong _uint;
    private double _float;
    private bool _bool;

    public static CNode Map(params (string Key, CNode Value)[] entries)
    {
        var n = new CNode { Kind = NodeKind.Map };
        foreach (var e in entries) n.Children.Add(e);
        return n;
    }

    public static CNode Array(params CNode[] items)
    {
        var n = new CNode { Kind = NodeKind.Array };
        foreach (var i in items) n.Children.Add((null, i));
        return n;
    }

    public static CNode Text(string s) => new() { Kind = NodeKind.Text, _text = s };
    public static CNode RawText(byte[] utf8) => new() { Kind = NodeKind.RawText, _bytes = utf8 };
    public static CNode Bytes(byte[] b) => new() { Kind = NodeKind.Bytes, _bytes = b };
    public static CNode Int(long v) => new() { Kind = NodeKind.Int, _int = v };
    public static CNode UInt(ulong v) => new() { Kind = NodeKind.UInt, _uint = v };
    public static CNode Float(double v) => new() { Kind = NodeKind.Float, _float = v };
    public static CNode Half(double v) => new() { Kind = NodeKind.Half, _float = v };
    public static CNode Bool(bool v) => new() { Kind = NodeKind.Bool, _bool = v };
    public static CNode Null() => new() { Kind = NodeKind.Null };

    public void Set(string key, CNode value)
    {
        var i = Children.FindIndex(c => c.Key == key);
        if (i >= 0) Children[i] = (key, value);
        else Children.Add((key, value));
    }

    public CNode Clone()
    {
        var n = new CNode { Kind = Kind, _text = _text, _bytes = _bytes, _int = _int, _uint = _uint, _float = _float, _bool = _bool, Indefinite = Indefinite };
        foreach (var (k, v) in Children) n.Children.Add((k, v.Clone()));
        n.IntegerKeys.UnionWith(IntegerKeys);
        return n;
    }

    public byte[] ToCbor()
    {
        var w = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        Write(w);
        return w.Encode();
    }

    private void Write(CborWriter w)
    {
        switch (Kind)
        {
            case NodeKind.Map:
                w.WriteStartMap(Indefinite ? null : Children.Count);
                for (var i = 0; i < Children.Count; i++)
                {
                    if (IntegerKeys.Contains(i)) w.WriteInt32(i);
                    else w.WriteTextString(Children[i].Key ?? "");
                    Children[i].Value.Write(w);
                }
                w.WriteEndMap();
                break;
            case NodeKind.Array:
                w.WriteStartArray(Indefinite ? null : Children.Count);
                foreach (var (_, v) in Children) v.Write(w);
                w.WriteEndArray();
                break;
            case NodeKind.Text when Indefinite && _text!.Length > 1 && !char.IsHighSurrogate(_text[0]):
                w.WriteStartIndefiniteLengthTextString();
                w.WriteTextString(_text[..1]);
                w.WriteTextString(_text[1..]);
                w.WriteEndIndefiniteLengthTextString();
                break;
            case NodeKind.Text: w.WriteTextString(_text!); break;
            case NodeKind.RawText:
            {
                // A text-string header over bytes that are not UTF-8 (CborWriter would refuse to write them as text).
                var encoded = new byte[_bytes!.Length + 1];
                encoded[0] = (byte)(0x60 | _bytes.Length);
                _bytes.CopyTo(encoded, 1);
                w.WriteEncodedValue(encoded);
                break;
            }
            case NodeKind.Bytes: w.WriteByteString(_bytes!); break;
            case NodeKind.Int: w.WriteInt64(_int); break;
            case NodeKind.UInt: w.WriteUInt64(_uint); break;
            case NodeKind.Float: w.WriteDouble(_float); break;
            case NodeKind.Half: w.WriteHalf((Half)_float); break;
            case NodeKind.Bool: w.WriteBoolean(_bool); break;
            default: w.WriteNull(); break;
        }
    }

    /// <summary>The JSON this CBOR means, or null when JSON cannot express it (then it is never valid DCC content).</summary>
    public JsonNode? ToJson()
    {
        var ok = true;
        var json = ToJson(ref ok);
        return ok ? json : null;
    }

    private JsonNode? ToJson(ref bool ok)
    {
        switch (Kind)
        {
            case NodeKind.Map:
            {
                var o = new JsonObject();
                for (var i = 0; i < Children.Count; i++)
                {
                    var key = IntegerKeys.Contains(i) ? i.ToString(CultureInfo.InvariantCulture) : Children[i].Key!;
                    if (o.ContainsKey(key)) { ok = false; return null; } // duplicate keys: not JSON
                    o[key] = Children[i].Value.ToJson(ref ok);
                }
                return o;
            }
            case NodeKind.Array:
            {
                var a = new JsonArray();
                foreach (var (_, v) in Children) a.Add(v.ToJson(ref ok));
                return a;
            }
            case NodeKind.Text: return JsonValue.Create(_text);
            case NodeKind.Int: return JsonValue.Create(_int);
            case NodeKind.UInt: return JsonNode.Parse(_uint.ToString(CultureInfo.InvariantCulture));
            case NodeKind.Float or NodeKind.Half when !double.IsFinite(_float): ok = false; return null;
            // Through JSON text (shortest round-trip form) so an oracle reads the exact number the CBOR holds.
            case NodeKind.Float: return JsonNode.Parse(_float.ToString("R", CultureInfo.InvariantCulture));
            case NodeKind.Half: return JsonNode.Parse(((double)(Half)_float).ToString("R", CultureInfo.InvariantCulture));
            case NodeKind.Bool: return JsonValue.Create(_bool);
            case NodeKind.Null: return null;
            default: ok = false; return null; // bytes, invalid UTF-8
        }
    }
}
