using System.Formats.Cbor;
using System.Security.Cryptography;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Chain;

/// <summary>How the facility signature rides in the QR (claim -65538).</summary>
public enum AttestationForm
{
    /// <summary>The whole signature: anyone with the facility certificate verifies it offline.</summary>
    Full = 1,
    /// <summary>
    /// Only the first 16 bytes of SHA-256(signature): keeps RSA facility signatures (256 bytes) out of the QR. The full
    /// signature stays with the ministry (issue output / ledger) and is resolved by UVCI to verify the facility level.
    /// </summary>
    Digest = 2,
}

/// <summary>
/// A vaccination facility's co-signature over exactly the certificate content that ends up in the QR. See docs/format.md.
/// <para>Signed bytes (<see cref="ToBeSigned"/>): the deterministic CBOR array
/// <c>["VaxCert-FacilityAttestation-v1", alg, kid, dcc, nationality]</c> where <c>dcc</c> is a byte string holding the exact
/// DCC CBOR that the ministry embeds under -260 → 1 and <c>nationality</c> the text of claim -65537. The context string
/// separates this signature from any other use of the key; alg and kid are signed so neither can be swapped.</para>
/// <para>Claim -65538: <c>[form, kid, alg, bytes]</c>; bytes are the signature (form 1) or its 16-byte digest (form 2).</para>
/// </summary>
public sealed record FacilityAttestation
{
    /// <summary>Domain-separation context of the signed structure.</summary>
    public const string Context = "VaxCert-FacilityAttestation-v1";

    /// <summary>Bytes of SHA-256(signature) kept in the digest form.</summary>
    public const int DigestLength = 16;

    /// <summary>kid of the facility certificate: SHA-256(DER)[0..8].</summary>
    public required byte[] KeyId { get; init; }

    /// <summary>The facility key's algorithm.</summary>
    public required CoseAlgorithm Algorithm { get; init; }

    /// <summary>The signature (raw r‖s for ES256), or the digest of it in <see cref="AttestationForm.Digest"/>.</summary>
    public required byte[] Value { get; init; }

    /// <summary>Full or digest.</summary>
    public AttestationForm Form { get; init; } = AttestationForm.Full;

    /// <summary>The bytes the facility signs.</summary>
    public static byte[] ToBeSigned(CoseAlgorithm algorithm, ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> dccCbor, string nationality)
    {
        var w = new CborWriter(CborConformanceMode.Strict, initialCapacity: dccCbor.Length + 64);
        w.WriteStartArray(5);
        w.WriteTextString(Context);
        w.WriteInt32((int)algorithm);
        w.WriteByteString(keyId);
        w.WriteByteString(dccCbor);
        w.WriteTextString(nationality);
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>Signs the certificate content with the facility's key (software or token).</summary>
    /// <exception cref="SigningException">The key could not sign.</exception>
    public static FacilityAttestation Create(ICoseSigner facilitySigner, ReadOnlySpan<byte> dccCbor, string nationality)
    {
        ArgumentNullException.ThrowIfNull(facilitySigner);
        var kid = facilitySigner.KeyId.ToArray();
        var signature = facilitySigner.Sign(ToBeSigned(facilitySigner.Algorithm, kid, dccCbor, nationality));
        return new FacilityAttestation { KeyId = kid, Algorithm = facilitySigner.Algorithm, Value = signature };
    }

    /// <summary>This attestation reduced to the digest form (idempotent).</summary>
    public FacilityAttestation ToDigestForm() => Form == AttestationForm.Digest ? this
        : this with { Form = AttestationForm.Digest, Value = DigestOf(Value) };

    /// <summary>The 16-byte digest of a full signature.</summary>
    public static byte[] DigestOf(ReadOnlySpan<byte> signature) => SHA256.HashData(signature)[..DigestLength];

    /// <summary>The CBOR value of claim -65538.</summary>
    public byte[] EncodeClaim()
    {
        var w = new CborWriter(CborConformanceMode.Strict, initialCapacity: Value.Length + 24);
        w.WriteStartArray(4);
        w.WriteInt32((int)Form);
        w.WriteByteString(KeyId);
        w.WriteInt32((int)Algorithm);
        w.WriteByteString(Value);
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>Reads claim -65538 from untrusted bytes; never throws.</summary>
    public static bool TryDecodeClaim(ReadOnlyMemory<byte> claim, out FacilityAttestation? attestation)
    {
        attestation = null;
        try
        {
            var r = new CborReader(claim, CborConformanceMode.Lax);
            if (r.PeekState() != CborReaderState.StartArray || r.ReadStartArray() != 4) return false;
            var form = (AttestationForm)r.ReadInt32();
            var kid = r.ReadByteString();
            var alg = (CoseAlgorithm)r.ReadInt32();
            var value = r.ReadByteString();
            r.ReadEndArray();
            if (r.BytesRemaining != 0 || kid.Length != KeyIdentifier.Length) return false;
            if (form is not (AttestationForm.Full or AttestationForm.Digest)) return false;
            if (alg is not (CoseAlgorithm.ES256 or CoseAlgorithm.PS256)) return false;
            if (form == AttestationForm.Digest && value.Length != DigestLength) return false;
            attestation = new FacilityAttestation { KeyId = kid, Algorithm = alg, Value = value, Form = form };
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }
}
