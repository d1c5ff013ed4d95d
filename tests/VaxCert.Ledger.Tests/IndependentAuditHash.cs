using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace VaxCert.Ledger.Tests;

/// <summary>
/// The audit hash as docs/ledger.md describes it, written from the document with BouncyCastle's SHA-256 rather than
/// with the production code: "VXAUDIT1", then seq, time (µs since epoch), event, subject, facility, details, prev_hash,
/// each as a 4-byte big-endian length and its bytes.
/// </summary>
internal static class IndependentAuditHash
{
    public static byte[] Of(AuditEntry e)
    {
        var micros = (e.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var fields = new[]
        {
            Encoding.ASCII.GetBytes(e.Seq.ToString(CultureInfo.InvariantCulture)),
            Encoding.ASCII.GetBytes(micros.ToString(CultureInfo.InvariantCulture)),
            Encoding.UTF8.GetBytes(e.Event), Encoding.UTF8.GetBytes(e.Subject), Encoding.UTF8.GetBytes(e.Facility),
            Encoding.UTF8.GetBytes(e.DetailsJson), e.PrevHash,
        };
        var digest = new Sha256Digest();
        var tag = Encoding.ASCII.GetBytes("VXAUDIT1");
        digest.BlockUpdate(tag, 0, tag.Length);
        foreach (var f in fields)
        {
            var len = new[] { (byte)(f.Length >> 24), (byte)(f.Length >> 16), (byte)(f.Length >> 8), (byte)f.Length };
            digest.BlockUpdate(len, 0, 4);
            digest.BlockUpdate(f, 0, f.Length);
        }
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
