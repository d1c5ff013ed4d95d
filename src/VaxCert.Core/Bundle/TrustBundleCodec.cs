using System.Formats.Cbor;
using VaxCert.Core.Encoding;

namespace VaxCert.Core.Bundle;

/// <summary>
/// The CBOR form of <see cref="TrustBundleContent"/>: one map with text keys, written in a fixed order (so the same content
/// always gives the same bytes). Reading never throws: anything that is not exactly this shape is refused with a message.
/// Unknown keys are skipped (a later minor addition), duplicate keys refused.
/// </summary>
public static class TrustBundleCodec
{
    private const string KVersion = "v", KIssuer = "iss", KSequence = "seq", KBase = "base", KIssuedAt = "iat", KExpiresAt = "exp",
        KSigners = "dsc", KSignersRemoved = "dscDel", KFacilityCas = "fca", KFacilityCerts = "fcert", KFacilityRemoved = "fcertDel",
        KFacilityRevoked = "frev", KRevocations = "rev", KValueSets = "vs", KRules = "rules";

    /// <summary>Encodes <paramref name="content"/>.</summary>
    public static byte[] Encode(TrustBundleContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var w = new CborWriter(CborConformanceMode.Lax);
        var count = 13 + (content.BaseSequence is null ? 0 : 1) + (content.Rules is null ? 0 : 1);
        w.WriteStartMap(count);
        w.WriteTextString(KVersion); w.WriteInt32(content.FormatVersion);
        w.WriteTextString(KIssuer); w.WriteTextString(content.Issuer);
        w.WriteTextString(KSequence); w.WriteInt64(content.Sequence);
        if (content.BaseSequence is { } b) { w.WriteTextString(KBase); w.WriteInt64(b); }
        w.WriteTextString(KIssuedAt); w.WriteInt64(content.IssuedAt.ToUnixTimeSeconds());
        w.WriteTextString(KExpiresAt); w.WriteInt64(content.ExpiresAt.ToUnixTimeSeconds());
        w.WriteTextString(KSigners);
        w.WriteStartArray(content.Signers.Count);
        foreach (var s in content.Signers)
        {
            w.WriteStartArray(2);
            w.WriteTextString(s.Country);
            w.WriteByteString(s.Der);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        WriteTexts(w, KSignersRemoved, content.RemovedSigners);
        WriteBytes(w, KFacilityCas, content.FacilityCas);
        WriteBytes(w, KFacilityCerts, content.FacilityCertificates);
        WriteTexts(w, KFacilityRemoved, content.RemovedFacilityCertificates);
        WriteTexts(w, KFacilityRevoked, content.FacilityRevoked);
        w.WriteTextString(KRevocations);
        w.WriteStartArray(content.Revocations.Count);
        foreach (var list in content.Revocations)
        {
            w.WriteStartArray(4);
            w.WriteByteString(list.KeyId);
            w.WriteTextString(list.HashType);
            w.WriteTextString(list.Mode);
            w.WriteStartArray(list.Partitions.Count);
            foreach (var p in list.Partitions)
            {
                w.WriteStartArray(4);
                if (p.X is { } x) w.WriteInt32(x); else w.WriteNull();
                if (p.Y is { } y) w.WriteInt32(y); else w.WriteNull();
                w.WriteInt64(p.Expires.ToUnixTimeSeconds());
                if (p.Hashes is PackedRevocationHashes packed)
                {
                    w.WriteByteString(packed.Packed);
                }
                else
                {
                    var hashes = new byte[p.Hashes.Count * TrustBundleFormat.HashBytes];
                    for (var i = 0; i < p.Hashes.Count; i++)
                    {
                        if (p.Hashes[i].Length != TrustBundleFormat.HashBytes) throw new ArgumentException("a revocation hash has 16 bytes");
                        p.Hashes[i].CopyTo(hashes, i * TrustBundleFormat.HashBytes);
                    }
                    w.WriteByteString(hashes);
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndArray();
        }
        w.WriteEndArray();
        WriteBytes(w, KValueSets, content.ValueSets);
        if (content.Rules is { } rules) { w.WriteTextString(KRules); w.WriteTextString(rules); }
        w.WriteEndMap();
        return w.Encode();
    }

    private static void WriteTexts(CborWriter w, string key, IReadOnlyList<string> values)
    {
        w.WriteTextString(key);
        w.WriteStartArray(values.Count);
        foreach (var v in values) w.WriteTextString(v);
        w.WriteEndArray();
    }

    private static void WriteBytes(CborWriter w, string key, IReadOnlyList<byte[]> values)
    {
        w.WriteTextString(key);
        w.WriteStartArray(values.Count);
        foreach (var v in values) w.WriteByteString(v);
        w.WriteEndArray();
    }

    /// <summary>Decodes untrusted bytes; false with <paramref name="problem"/> for anything malformed. Never throws.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out TrustBundleContent? content, out string? problem)
    {
        content = null;
        try
        {
            var r = new CborReader(encoded, CborConformanceMode.Lax);
            if (r.PeekState() != CborReaderState.StartMap) return Fail("the payload is not a CBOR map", out problem);
            r.ReadStartMap();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int? version = null;
            string? issuer = null, rules = null;
            long? sequence = null, baseSequence = null, iat = null, exp = null;
            List<BundleSigner> signers = [];
            List<string> signersRemoved = [], facilityRemoved = [], facilityRevoked = [];
            List<byte[]> facilityCas = [], facilityCerts = [], valueSets = [];
            List<BundleRevocationList> revocations = [];
            while (r.PeekState() != CborReaderState.EndMap)
            {
                if (!CborText.TryRead(r, out var key)) return Fail("a key is not UTF-8 text", out problem);
                if (!seen.Add(key)) return Fail($"key '{key}' appears twice", out problem);
                switch (key)
                {
                    case KVersion: version = checked((int)ReadInteger(r)); break;
                    case KIssuer: issuer = ReadText(r); break;
                    case KSequence: sequence = ReadInteger(r); break;
                    case KBase: baseSequence = ReadInteger(r); break;
                    case KIssuedAt: iat = ReadInteger(r); break;
                    case KExpiresAt: exp = ReadInteger(r); break;
                    case KSigners:
                        ReadArray(r, () =>
                        {
                            if (r.ReadStartArray() != 2) throw new FormatException("a signer is [country, der]");
                            var country = ReadText(r);
                            signers.Add(new BundleSigner(r.ReadByteString(), country));
                            r.ReadEndArray();
                        });
                        break;
                    case KSignersRemoved: ReadArray(r, () => signersRemoved.Add(ReadText(r))); break;
                    case KFacilityCas: ReadArray(r, () => facilityCas.Add(r.ReadByteString())); break;
                    case KFacilityCerts: ReadArray(r, () => facilityCerts.Add(r.ReadByteString())); break;
                    case KFacilityRemoved: ReadArray(r, () => facilityRemoved.Add(ReadText(r))); break;
                    case KFacilityRevoked: ReadArray(r, () => facilityRevoked.Add(ReadText(r))); break;
                    case KRevocations: ReadArray(r, () => revocations.Add(ReadRevocationList(r))); break;
                    case KValueSets: ReadArray(r, () => valueSets.Add(r.ReadByteString())); break;
                    case KRules: rules = ReadText(r); break;
                    default: r.SkipValue(); break;
                }
            }
            r.ReadEndMap();
            if (r.BytesRemaining != 0) return Fail("bytes follow the payload map", out problem);
            if (version is null || sequence is null || iat is null || exp is null)
                return Fail("v, seq, iat and exp are required", out problem);
            content = new TrustBundleContent
            {
                FormatVersion = version.Value,
                Issuer = issuer ?? "",
                Sequence = sequence.Value,
                BaseSequence = baseSequence,
                IssuedAt = DateTimeOffset.FromUnixTimeSeconds(iat.Value),
                ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(exp.Value),
                Signers = signers,
                RemovedSigners = signersRemoved,
                FacilityCas = facilityCas,
                FacilityCertificates = facilityCerts,
                RemovedFacilityCertificates = facilityRemoved,
                FacilityRevoked = facilityRevoked,
                Revocations = revocations,
                ValueSets = valueSets,
                Rules = rules,
            };
            problem = null;
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException
                                      or ArgumentOutOfRangeException)
        {
            return Fail("malformed CBOR: " + e.Message, out problem);
        }
    }

    private static BundleRevocationList ReadRevocationList(CborReader r)
    {
        if (r.ReadStartArray() != 4) throw new FormatException("a revocation list is [kid, type, mode, partitions]");
        var kid = r.ReadByteString();
        var type = ReadText(r);
        var mode = ReadText(r);
        var partitions = new List<BundleRevocationPartition>();
        ReadArray(r, () =>
        {
            if (r.ReadStartArray() != 4) throw new FormatException("a partition is [x, y, expires, hashes]");
            var x = ReadOptionalByte(r);
            var y = ReadOptionalByte(r);
            var expires = DateTimeOffset.FromUnixTimeSeconds(ReadInteger(r));
            var all = r.ReadByteString();
            if (all.Length % TrustBundleFormat.HashBytes != 0) throw new FormatException("partition hashes are not a multiple of 16 bytes");
            partitions.Add(new BundleRevocationPartition(x, y, expires, new PackedRevocationHashes(all)));
            r.ReadEndArray();
        });
        r.ReadEndArray();
        return new BundleRevocationList(kid, type, mode, partitions);
    }

    private static byte? ReadOptionalByte(CborReader r)
    {
        if (r.PeekState() == CborReaderState.Null) { r.ReadNull(); return null; }
        return checked((byte)r.ReadUInt32());
    }

    private static long ReadInteger(CborReader r) => r.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
        ? r.ReadInt64() : throw new FormatException("an integer was expected");

    private static string ReadText(CborReader r) => CborText.TryRead(r, out var text) ? text : throw new FormatException("UTF-8 text was expected");

    private static void ReadArray(CborReader r, Action readItem)
    {
        if (r.PeekState() != CborReaderState.StartArray) throw new FormatException("an array was expected");
        r.ReadStartArray();
        while (r.PeekState() != CborReaderState.EndArray) readItem();
        r.ReadEndArray();
    }

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }
}
