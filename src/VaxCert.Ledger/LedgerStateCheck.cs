using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace VaxCert.Ledger;

/// <summary>An audit entry as the state check sees it: its seq and its details JSON (or subject).</summary>
internal sealed record LoggedEvent(long Seq, string Text);

/// <summary>
/// Compares the certificates table with the state recorded by a verified audit chain, one row at a time in uvci order
/// (constant memory): each row must have exactly one Issued entry whose <c>certificate_sha256</c> matches the row, it is
/// revoked exactly when a Revoked entry names it (with that entry's time and reason), the row count equals the Issued
/// entries and the revoked rows the Revoked entries, and the head counters agree. Catches what the chain alone cannot:
/// a row edited, deleted, inserted or un-revoked with the append-only triggers dropped.
/// </summary>
internal sealed class LedgerStateCheck(long issuedEntries, long revokedEntries)
{
    private string? _previousUvci;
    private long _revokedRows;

    /// <summary>Certificate rows compared so far.</summary>
    public long Rows { get; private set; }

    /// <summary>The first disagreement, if any.</summary>
    public AuditBreak? FirstBreak { get; private set; }

    /// <summary>Checks one row of the state join; false once a disagreement is found.</summary>
    public bool Accept(LedgerEntry row, LoggedEvent? issued, LoggedEvent? revoked)
    {
        if (FirstBreak is not null)
            return false;
        if (row.Uvci == _previousUvci) // the join repeats a row only when several entries name it
        {
            FirstBreak = Mismatch(issued?.Seq ?? 0, row.Uvci, "more than one Issued or Revoked entry names this certificate");
            return false;
        }
        _previousUvci = row.Uvci;
        Rows++;
        if (row.Status == CertificateStatus.Revoked)
            _revokedRows++;
        FirstBreak = Compare(row, issued, revoked);
        return FirstBreak is null;
    }

    /// <summary>The final verdict once every row was accepted: missing rows and counters.</summary>
    public AuditBreak? Finish(LoggedEvent? issuedWithoutRow, long headCertificates, long headRevoked)
    {
        if (FirstBreak is not null)
            return FirstBreak;
        if (issuedWithoutRow is not null)
            return new AuditBreak(issuedWithoutRow.Seq, AuditBreakKind.CertificateMissing,
                $"the certificate {issuedWithoutRow.Text} issued at seq {issuedWithoutRow.Seq} has no row in the certificates table");
        if (Rows != issuedEntries || _revokedRows != revokedEntries)
            return new AuditBreak(0, AuditBreakKind.CertificateMismatch,
                $"the log records {issuedEntries} certificates and {revokedEntries} revocations, the table holds {Rows} and {_revokedRows}");
        if (headCertificates != issuedEntries || headRevoked != revokedEntries)
            return new AuditBreak(0, AuditBreakKind.CounterMismatch,
                $"the head counts {headCertificates} certificates and {headRevoked} revocations, the log records {issuedEntries} and {revokedEntries}");
        return null;
    }

    private static AuditBreak? Compare(LedgerEntry row, LoggedEvent? issued, LoggedEvent? revoked)
    {
        if (issued is null)
            return new AuditBreak(0, AuditBreakKind.CertificateNotLogged, $"the certificate {row.Uvci} has no Issued audit entry");
        var recorded = Property(issued.Text, AuditDetailsFor.CertificateDigestField);
        var actual = Convert.ToHexStringLower(CertificateDigest.Compute(row.Certificate));
        if (recorded is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(recorded),
                System.Text.Encoding.ASCII.GetBytes(actual)))
            return Mismatch(issued.Seq, row.Uvci, recorded is null
                ? "its Issued entry records no certificate digest (written before digests were recorded)"
                : "the row (hc1 or another column) differs from the certificate its Issued entry records");
        if (revoked is null)
            return row.Status == CertificateStatus.Issued && row.RevokedAt is null && row.RevocationReason is null ? null
                : Mismatch(issued.Seq, row.Uvci, "the row is marked revoked but no Revoked entry records a revocation");
        if (row.Status != CertificateStatus.Revoked)
            return Mismatch(issued.Seq, row.Uvci, $"a Revoked entry (seq {revoked.Seq}) records a revocation but the row is not revoked");
        var reason = Property(revoked.Text, AuditDetailsFor.ReasonField);
        var at = long.TryParse(Property(revoked.Text, AuditDetailsFor.RevokedAtField), NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            ? LedgerTime.FromUnixMicroseconds(micros) : (DateTimeOffset?)null;
        return reason == row.RevocationReason && at == row.RevokedAt ? null
            : Mismatch(issued.Seq, row.Uvci, $"the revocation time or reason differs from the Revoked entry (seq {revoked.Seq})");
    }

    private static AuditBreak Mismatch(long seq, string uvci, string why) =>
        new(seq, AuditBreakKind.CertificateMismatch, $"certificate {uvci}: {why}");

    /// <summary>A string property of a details object, or null (details come from a verified chain but may predate a field).</summary>
    private static string? Property(string detailsJson, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var value)
                   && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
