using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VaxCert.Ledger;

/// <summary>
/// SHA-256 over every immutable column of a certificate row, recorded in its <c>Issued</c> audit entry
/// (<c>certificate_sha256</c>) so that verification can prove the row still holds what was issued: the tag
/// <c>VXCERT1</c>, then uvci, facility code, facility record id, record hash, facility attestation, signer kid, issued
/// at and expires at (microseconds since the Unix epoch, decimal ASCII) and hc1, each length-prefixed like
/// <see cref="AuditHash"/>'s fields. A re-issue (generation above 1) appends its generation (decimal ASCII) and the UVCI it
/// re-issues, so the link cannot be edited either; a generation-1 row's digest is exactly the original serialization.
/// </summary>
public static class CertificateDigest
{
    /// <summary>The leading tag; a new serialization would get a new tag.</summary>
    public static ReadOnlySpan<byte> Tag => "VXCERT1"u8;

    /// <summary>The digest of <paramref name="certificate"/> as stored (times normalised to the microsecond).</summary>
    public static byte[] Compute(CertificateToRecord certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var buffer = new MemoryStream(1024);
        buffer.Write(Tag);
        AuditHash.WriteField(buffer, Encoding.UTF8.GetBytes(certificate.Uvci));
        AuditHash.WriteField(buffer, Encoding.UTF8.GetBytes(certificate.FacilityCode));
        AuditHash.WriteField(buffer, Encoding.UTF8.GetBytes(certificate.FacilityRecordId));
        AuditHash.WriteField(buffer, certificate.RecordHash);
        AuditHash.WriteField(buffer, certificate.FacilityAttestation);
        AuditHash.WriteField(buffer, certificate.SignerKid);
        AuditHash.WriteField(buffer, Micros(certificate.IssuedAt));
        AuditHash.WriteField(buffer, Micros(certificate.ExpiresAt));
        AuditHash.WriteField(buffer, Encoding.UTF8.GetBytes(certificate.Hc1));
        if (certificate.Generation != 1 || certificate.ReissueOf is not null)
        {
            AuditHash.WriteField(buffer, Encoding.ASCII.GetBytes(certificate.Generation.ToString(CultureInfo.InvariantCulture)));
            AuditHash.WriteField(buffer, Encoding.UTF8.GetBytes(certificate.ReissueOf ?? ""));
        }
        return SHA256.HashData(buffer.ToArray());
    }

    private static byte[] Micros(DateTimeOffset time) =>
        Encoding.ASCII.GetBytes(LedgerTime.ToUnixMicroseconds(time).ToString(CultureInfo.InvariantCulture));
}
