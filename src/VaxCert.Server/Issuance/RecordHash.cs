using System.Formats.Cbor;
using System.Security.Cryptography;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;

namespace VaxCert.Server.Issuance;

/// <summary>
/// The ledger's record hash: SHA-256 over the deterministic CBOR array <c>["VaxCert-RecordHash-v1", dcc, nationality]</c>,
/// where <c>dcc</c> is the exact DCC CBOR the facility co-signs and the ministry embeds (<see cref="DccMapper.EncodeDcc(VaccinationRecord, IssuerSettings)"/>)
/// and <c>nationality</c> the text of claim -65537: the same content the facility attestation covers, without the facility key,
/// so a resubmission co-signed with a renewed facility key still counts as the same record.
/// </summary>
public static class RecordHash
{
    /// <summary>Domain-separation tag of the hashed structure.</summary>
    public const string Context = "VaxCert-RecordHash-v1";

    /// <summary>The hash of a record, or null when its names cannot be transliterated (it cannot have been issued).</summary>
    public static byte[]? Of(VaccinationRecord record, IssuerSettings settings) =>
        DccMapper.EncodeDcc(record, settings) is { } dcc ? Of(dcc, record.Nationality) : null;

    /// <summary>The hash of exact DCC bytes and nationality.</summary>
    public static byte[] Of(ReadOnlySpan<byte> dccCbor, string nationality)
    {
        var w = new CborWriter(CborConformanceMode.Strict, initialCapacity: dccCbor.Length + 48);
        w.WriteStartArray(3);
        w.WriteTextString(Context);
        w.WriteByteString(dccCbor);
        w.WriteTextString(nationality);
        w.WriteEndArray();
        return SHA256.HashData(w.Encode());
    }
}
