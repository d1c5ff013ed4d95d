namespace VaxCert.Server.Issuance;

/// <summary>A certificate as the service hands it out (new or from the ledger).</summary>
/// <param name="Uvci">The certificate identifier.</param>
/// <param name="Hc1">The QR payload ("HC1:...").</param>
/// <param name="IssuedAt">CWT iat.</param>
/// <param name="ExpiresAt">CWT exp.</param>
/// <param name="SignerKid">kid of the ministry signer certificate.</param>
/// <param name="AlreadyIssued">True when this record had been issued before and the stored certificate is returned.</param>
public sealed record ServedCertificate(string Uvci, string Hc1, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, byte[] SignerKid,
    bool AlreadyIssued)
{
    /// <summary>
    /// True when the certificate has been revoked: its HC1 still verifies cryptographically, but verifiers holding the
    /// revocation list reject it, so a caller must not hand it out as a valid certificate. Only a stored certificate
    /// (<see cref="AlreadyIssued"/>, or a lookup) can be revoked.
    /// </summary>
    public bool Revoked { get; init; }

    /// <summary>When it was revoked (UTC, to the microsecond); null unless <see cref="Revoked"/>.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>The class of a refusal; it decides the gRPC status of a single Issue call.</summary>
public enum RefusalKind
{
    /// <summary>A field of the request is invalid (INVALID_ARGUMENT).</summary>
    InvalidRequest,
    /// <summary>The facility co-signature was not accepted (PERMISSION_DENIED).</summary>
    AttestationRejected,
    /// <summary>The idempotency key or UVCI is already used for different content (ALREADY_EXISTS).</summary>
    Conflict,
    /// <summary>The signing key is temporarily unavailable, e.g. token removed (UNAVAILABLE; retry later).</summary>
    SignerUnavailable,
    /// <summary>The signer cannot issue at all right now, e.g. its certificate expired (FAILED_PRECONDITION).</summary>
    SignerNotUsable,
}

/// <summary>Why a record was not issued. Holds no personal data: reason code, field name and an operator message.</summary>
/// <param name="Kind">The class of refusal.</param>
/// <param name="Reason">Stable UPPER_SNAKE_CASE reason code (docs/server.md).</param>
/// <param name="Field">The record field at fault as a C# property name (e.g. "DateOfBirth"), or null for the whole record.</param>
/// <param name="Message">English explanation, safe for operators and logs.</param>
public sealed record Refusal(RefusalKind Kind, string Reason, string? Field, string Message);

/// <summary>The outcome of one issuance: a certificate or a refusal, never both.</summary>
public sealed record IssueOutcome
{
    private IssueOutcome(ServedCertificate? certificate, Refusal? refusal)
    {
        Certificate = certificate;
        Refusal = refusal;
    }

    /// <summary>The certificate, when issued (now or before).</summary>
    public ServedCertificate? Certificate { get; }

    /// <summary>Why it was not issued, when refused.</summary>
    public Refusal? Refusal { get; }

    /// <summary>True when <see cref="Certificate"/> is set.</summary>
    public bool Issued => Certificate is not null;

    /// <summary>An issued outcome.</summary>
    public static IssueOutcome Of(ServedCertificate certificate) => new(certificate, null);

    /// <summary>A refused outcome.</summary>
    public static IssueOutcome Refused(RefusalKind kind, string reason, string? field, string message) =>
        new(null, new Refusal(kind, reason, field, message));
}
