namespace VaxCert.Ledger;

/// <summary>
/// Argument checks for what the server hands in. These are programmer errors (the server builds the values), so they throw
/// ArgumentException rather than returning a result.
/// </summary>
internal static class CertificateValidation
{
    /// <summary>Longest revocation reason accepted: a short code or phrase, never a narrative with personal data.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>Checks the certificate and returns it with its times normalized to stored precision.</summary>
    public static CertificateToRecord Normalize(CertificateToRecord c)
    {
        ArgumentNullException.ThrowIfNull(c);
        RequireText(c.Uvci, nameof(c.Uvci));
        RequireText(c.FacilityCode, nameof(c.FacilityCode));
        RequireText(c.FacilityRecordId, nameof(c.FacilityRecordId));
        RequireText(c.Hc1, nameof(c.Hc1));
        if (c.RecordHash is not { Length: AuditHash.Length })
            throw new ArgumentException("RecordHash must be a 32-byte SHA-256", "certificate");
        if (c.FacilityAttestation is not { Length: > 0 })
            throw new ArgumentException("FacilityAttestation must not be empty", "certificate");
        if (c.SignerKid is not { Length: > 0 })
            throw new ArgumentException("SignerKid must not be empty", "certificate");
        if (c.Generation < 1 || (c.Generation == 1) != (c.ReissueOf is null))
            throw new ArgumentException("a re-issue has generation 2 or more and names the certificate it re-issues; generation 1 names none", "certificate");
        if (c.ReissueOf is not null)
            RequireText(c.ReissueOf, nameof(c.ReissueOf));
        if (c.ExpiresAt <= c.IssuedAt)
            throw new ArgumentException("ExpiresAt must be after IssuedAt", "certificate");
        return c with { IssuedAt = LedgerTime.Normalize(c.IssuedAt), ExpiresAt = LedgerTime.Normalize(c.ExpiresAt) };
    }

    /// <summary>Checks the arguments of a revocation.</summary>
    public static void RequireRevocation(string uvci, string reason)
    {
        RequireText(uvci, nameof(uvci));
        RequireText(reason, nameof(reason));
        if (reason.Length > MaxReasonLength)
            throw new ArgumentException($"the revocation reason must be at most {MaxReasonLength} characters (a code, not a narrative)", nameof(reason));
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} must not be empty", name);
    }
}
