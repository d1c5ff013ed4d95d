using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Encoding;

/// <summary>
/// A decoded COSE_Sign1 message (RFC 9052). Raw protected-header and payload bytes are kept exactly as received,
/// because those bytes, not a re-encoding, are what the signature covers.
/// </summary>
public sealed class CoseSign1Message
{
    internal const int HeaderAlgorithm = 1;
    internal const int HeaderKeyId = 4;
    internal const int HeaderCritical = 2;
    private const int TagCoseSign1 = 18;
    private const int TagCwt = 61;

    private CoseSign1Message(byte[] rawProtected, byte[] payload, byte[] signature, int? protectedAlg, int? unprotectedAlg,
        byte[]? protectedKid, byte[]? unprotectedKid)
    {
        RawProtectedHeader = rawProtected;
        Payload = payload;
        Signature = signature;
        ProtectedAlgorithm = protectedAlg;
        UnprotectedAlgorithm = unprotectedAlg;
        ProtectedKeyId = protectedKid;
        UnprotectedKeyId = unprotectedKid;
    }

    public ReadOnlyMemory<byte> RawProtectedHeader { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public ReadOnlyMemory<byte> Signature { get; }
    public int? ProtectedAlgorithm { get; }
    public int? UnprotectedAlgorithm { get; }
    // byte[]? rather than ReadOnlyMemory<byte>?: a null array would silently convert to an empty, non-null memory.
    public byte[]? ProtectedKeyId { get; }
    public byte[]? UnprotectedKeyId { get; }

    /// <summary>The alg to use: protected wins; the unprotected bucket is accepted because real issuers put it there.</summary>
    public int? Algorithm => ProtectedAlgorithm ?? UnprotectedAlgorithm;

    /// <summary>The kid to look up: protected wins over unprotected (hcert spec).</summary>
    public byte[]? KeyId => ProtectedKeyId ?? UnprotectedKeyId;

    /// <summary>The Sig_structure bytes the signature covers: ["Signature1", protected, h'', payload].</summary>
    public byte[] ToBeSigned() => CoseSign1.BuildToBeSigned(RawProtectedHeader.Span, Payload.Span);

    /// <summary>
    /// Verifies the signature with a public key; the algorithm must match the key type and the signature length.
    /// Never throws for a bad signature or a key/algorithm mismatch.
    /// </summary>
    public bool VerifySignature(X509Certificate2 signerCertificate)
        => Algorithm is { } alg && CoseVerificationKey.Verify(signerCertificate, alg, ToBeSigned(), Signature.Span);

    /// <summary>Decodes untrusted bytes: tag 18, CWT tag 61 around tag 18, or untagged. Never throws.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out CoseSign1Message? message, out DecodeFailure failure)
    {
        message = null;
        try
        {
            var r = new CborReader(encoded, CborConformanceMode.Lax);
            if (r.PeekState() == CborReaderState.Tag)
            {
                var tag = (ulong)r.ReadTag();
                if (tag == TagCwt && r.PeekState() == CborReaderState.Tag)
                    tag = (ulong)r.ReadTag();
                if (tag != TagCoseSign1) { failure = DecodeFailure.CoseInvalid; return false; }
            }
            if (r.PeekState() != CborReaderState.StartArray || r.ReadStartArray() != 4)
            {
                failure = DecodeFailure.CoseInvalid; return false;
            }
            if (r.PeekState() != CborReaderState.ByteString) { failure = DecodeFailure.CoseInvalid; return false; }
            var rawProtected = r.ReadByteString();
            if (r.PeekState() != CborReaderState.StartMap) { failure = DecodeFailure.CoseInvalid; return false; }
            if (!TryReadHeaderMap(r, out var unprotectedBucket)) { failure = DecodeFailure.CoseHeaderInvalid; return false; }
            if (r.PeekState() != CborReaderState.ByteString) { failure = DecodeFailure.CwtInvalid; return false; }
            var payload = r.ReadByteString();
            if (r.PeekState() != CborReaderState.ByteString) { failure = DecodeFailure.CoseInvalid; return false; }
            var signature = r.ReadByteString();
            r.ReadEndArray();
            if (r.BytesRemaining != 0) { failure = DecodeFailure.CoseInvalid; return false; }

            var protectedBucket = new HeaderBucket();
            if (rawProtected.Length > 0)
            {
                var pr = new CborReader(rawProtected, CborConformanceMode.Lax);
                if (pr.PeekState() != CborReaderState.StartMap || !TryReadHeaderMap(pr, out protectedBucket) || pr.BytesRemaining != 0)
                {
                    failure = DecodeFailure.CoseHeaderInvalid; return false;
                }
            }
            failure = CheckCritical(protectedBucket, unprotectedBucket);
            if (failure != DecodeFailure.None) return false;
            message = new CoseSign1Message(rawProtected, payload, signature, protectedBucket.Algorithm, unprotectedBucket.Algorithm,
                protectedBucket.KeyId, unprotectedBucket.KeyId);
            failure = DecodeFailure.None;
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            failure = DecodeFailure.CoseInvalid;
            return false;
        }
    }

    // Reads a header map, picking out alg (int), kid (bstr) and crit (label 2), skipping other labels; rejects duplicate
    // labels and text labels that are not valid UTF-8.
    private static bool TryReadHeaderMap(CborReader r, out HeaderBucket bucket)
    {
        bucket = new HeaderBucket();
        var seen = new HashSet<string>();
        r.ReadStartMap();
        while (r.PeekState() != CborReaderState.EndMap)
        {
            if (!TryReadLabel(r, out var label)) return false;
            if (!seen.Add(label.Key)) return false;
            bucket.Labels.Add(label);
            if (label.Int == HeaderAlgorithm)
            {
                if (r.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)) return false;
                bucket.Algorithm = checked((int)r.ReadInt64());
            }
            else if (label.Int == HeaderKeyId)
            {
                if (r.PeekState() != CborReaderState.ByteString) return false;
                bucket.KeyId = r.ReadByteString();
            }
            else if (label.Int == HeaderCritical)
            {
                // RFC 9052 §3.1: an array of at least one label (int or text).
                if (r.PeekState() != CborReaderState.StartArray) return false;
                r.ReadStartArray();
                bucket.Critical = [];
                while (r.PeekState() != CborReaderState.EndArray)
                {
                    if (!TryReadLabel(r, out var critical)) return false;
                    bucket.Critical.Add(critical);
                }
                r.ReadEndArray();
                if (bucket.Critical.Count == 0) return false;
            }
            else
            {
                r.SkipValue();
            }
        }
        r.ReadEndMap();
        return true;
    }

    private static bool TryReadLabel(CborReader r, out HeaderLabel label)
    {
        label = default;
        switch (r.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                label = new HeaderLabel(r.ReadInt64(), null);
                return true;
            case CborReaderState.TextString:
                if (!CborText.TryRead(r, out var text)) return false;
                label = new HeaderLabel(null, text);
                return true;
            default:
                return false;
        }
    }

    // RFC 9052 §3.1 crit: only in the protected bucket; each label it lists must be one this decoder processes (alg,
    // kid) and be present in the protected bucket. Everything else in crit is a parameter we would ignore, so the message
    // must be rejected rather than accepted without it.
    private static DecodeFailure CheckCritical(HeaderBucket protectedBucket, HeaderBucket unprotectedBucket)
    {
        if (unprotectedBucket.Critical is not null) return DecodeFailure.CoseHeaderInvalid;
        if (protectedBucket.Critical is not { } critical) return DecodeFailure.None;
        foreach (var label in critical)
        {
            if (label.Int is not (HeaderAlgorithm or HeaderKeyId)) return DecodeFailure.CoseCriticalHeaderUnsupported;
            if (!protectedBucket.Labels.Contains(label)) return DecodeFailure.CoseHeaderInvalid;
        }
        return DecodeFailure.None;
    }

    private readonly record struct HeaderLabel(long? Int, string? Text)
    {
        public string Key => Int is { } i ? "i" + i : "t" + Text;
    }

    private sealed class HeaderBucket
    {
        public int? Algorithm;
        public byte[]? KeyId;
        public List<HeaderLabel>? Critical;
        public readonly List<HeaderLabel> Labels = [];
    }
}

/// <summary>
/// Builds COSE_Sign1 messages (tag 18, deterministic CBOR) with alg and kid in the protected header. Writers run in Lax
/// mode because Strict mode tracks every map key for uniqueness; the fixed key order written here is deterministic by
/// construction and tests check it with <see cref="CborDeterminism"/>.
/// </summary>
public static class CoseSign1
{
    /// <summary>Encodes the protected header {1: alg, 4: kid} deterministically.</summary>
    public static byte[] EncodeProtectedHeader(CoseAlgorithm algorithm, ReadOnlySpan<byte> keyId)
    {
        var w = new CborWriter(CborConformanceMode.Lax, initialCapacity: 16 + keyId.Length);
        w.WriteStartMap(2);
        w.WriteInt32(CoseSign1Message.HeaderAlgorithm);
        w.WriteInt32((int)algorithm);
        w.WriteInt32(CoseSign1Message.HeaderKeyId);
        w.WriteByteString(keyId);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Sig_structure = ["Signature1", body_protected, external_aad = h'', payload].</summary>
    public static byte[] BuildToBeSigned(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
    {
        var w = new CborWriter(CborConformanceMode.Lax, initialCapacity: protectedHeader.Length + payload.Length + 32);
        w.WriteStartArray(4);
        w.WriteTextString("Signature1");
        w.WriteByteString(protectedHeader);
        w.WriteByteString([]);
        w.WriteByteString(payload);
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>Signs <paramref name="payload"/> and returns the tagged COSE_Sign1 bytes.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> payload, ICoseSigner signer)
    {
        var protectedHeader = EncodeProtectedHeader(signer.Algorithm, signer.KeyId.Span);
        var signature = signer.Sign(BuildToBeSigned(protectedHeader, payload));
        return Encode(protectedHeader, payload, signature);
    }

    /// <summary>Assembles 18([protected, {}, payload, signature]).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        var w = new CborWriter(CborConformanceMode.Lax, initialCapacity: protectedHeader.Length + payload.Length + signature.Length + 16);
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        w.WriteStartMap(0);
        w.WriteEndMap();
        w.WriteByteString(payload);
        w.WriteByteString(signature);
        w.WriteEndArray();
        return w.Encode();
    }
}
