namespace VaxCert.Ledger;

/// <summary>
/// What the revocation-list publisher and mass revocation need from a ledger, beside <see cref="ICertificateLedger"/>:
/// revoke every certificate of one facility or one signer kid in one operation, and stream revocations by the audit
/// sequence number of their Revoked entry (the list version). Both SQL ledgers implement it.
/// </summary>
public interface IRevocationLedger
{
    /// <summary>
    /// Revokes every still-issued certificate in <paramref name="scope"/>. Idempotent: certificates already revoked keep
    /// their first revocation and are only counted. Each certificate revoked gets its own Revoked audit entry (so
    /// <c>audit verify</c> still re-derives every row from the log), and one <see cref="AuditEvent.BulkRevoked"/> entry
    /// records the operation with its counts. The work runs in transactions of <see cref="BulkRevokeChunk"/> certificates so
    /// issuance is never blocked for long; if it is interrupted, the certificates revoked so far stay revoked and running it
    /// again revokes the rest.
    /// </summary>
    /// <param name="scope">All certificates of a facility code, or of a signer kid.</param>
    /// <param name="reason">Revocation reason: a short code (at most 200 characters).</param>
    /// <param name="actor">Who asked (caller name, "cli:user"); recorded in the audit entry.</param>
    /// <param name="cancellationToken">Stops between chunks; chunks already committed stay.</param>
    Task<BulkRevokeResult> RevokeAllAsync(RevocationScope scope, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams revoked certificates whose Revoked audit entry has a sequence number in (<paramref name="afterSeq"/>,
    /// <paramref name="upToSeq"/>], in sequence order, one row at a time (constant memory).
    /// </summary>
    IAsyncEnumerable<RevocationRecord> ListRevocationsAsync(long afterSeq, long upToSeq, CancellationToken cancellationToken = default);

    /// <summary>The sequence number of the last audit entry (every committed entry has a number at or below it).</summary>
    Task<long> GetAuditHeadSeqAsync(CancellationToken cancellationToken = default);

    /// <summary>Certificates revoked per transaction by <see cref="RevokeAllAsync"/>.</summary>
    public const int BulkRevokeChunk = 500;
}

/// <summary>Which certificates a mass revocation covers.</summary>
public abstract record RevocationScope
{
    private RevocationScope() { }

    /// <summary>Name recorded in the audit entry ("facility" or "signer").</summary>
    public abstract string Kind { get; }

    /// <summary>The key recorded in the audit entry: the facility code, or the kid in lowercase hex.</summary>
    public abstract string Key { get; }

    /// <summary>Every certificate co-signed by facility <paramref name="Code"/>.</summary>
    public sealed record Facility(string Code) : RevocationScope
    {
        /// <inheritdoc />
        public override string Kind => "facility";

        /// <inheritdoc />
        public override string Key => Code;
    }

    /// <summary>Every certificate signed by the document signer with key identifier <paramref name="Kid"/>.</summary>
    public sealed record Signer(byte[] Kid) : RevocationScope
    {
        /// <inheritdoc />
        public override string Kind => "signer";

        /// <inheritdoc />
        public override string Key => Convert.ToHexStringLower(Kid);
    }
}

/// <summary>The result of a mass revocation.</summary>
/// <param name="Revoked">Certificates revoked by this call.</param>
/// <param name="AlreadyRevoked">Certificates in scope that had been revoked before (their first revocation stands).</param>
/// <param name="AuditSeq">Sequence number of the <see cref="AuditEvent.BulkRevoked"/> entry.</param>
public sealed record BulkRevokeResult(long Revoked, long AlreadyRevoked, long AuditSeq);

/// <summary>One revoked certificate as the revocation-list publisher reads it.</summary>
/// <param name="Seq">Sequence number of its Revoked audit entry: the list version that first contains it.</param>
/// <param name="Uvci">The certificate's UVCI.</param>
/// <param name="FacilityCode">Facility that co-signed it.</param>
/// <param name="SignerKid">Kid of the document signer.</param>
/// <param name="ExpiresAt">Certificate expiry (CWT exp).</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="Hc1">The certificate itself, from which the EU revocation hashes are computed.</param>
public sealed record RevocationRecord(long Seq, string Uvci, string FacilityCode, byte[] SignerKid, DateTimeOffset ExpiresAt,
    DateTimeOffset RevokedAt, string Hc1);
