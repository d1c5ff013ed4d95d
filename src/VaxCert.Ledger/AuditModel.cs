namespace VaxCert.Ledger;

/// <summary>Kinds of audit events. Stored by name; the names are part of the hash serialization and never change.</summary>
public enum AuditEvent
{
    /// <summary>A certificate was issued (written with the certificate, in the same transaction).</summary>
    Issued,

    /// <summary>A certificate was revoked.</summary>
    Revoked,

    /// <summary>An issuance request was refused (e.g. a facility record id reused for different content).</summary>
    Refused,

    /// <summary>
    /// One mass revocation (all certificates of a facility or of a signer kid): scope, reason, actor and counts. Each
    /// certificate it revoked also has its own <see cref="Revoked"/> entry, written in the same transactions.
    /// </summary>
    BulkRevoked,

    /// <summary>
    /// A certificate was re-issued: written with the NEW certificate in the same transaction and in place of its Issued
    /// entry (subject = the new UVCI), with the Issued details plus <c>reissue_of</c> (the old UVCI) and
    /// <c>generation</c>. The old certificate is left untouched.
    /// </summary>
    Reissued,

    /// <summary>One re-issue run (a wave or one certificate) by an operator: selection, actor and counts. Each certificate
    /// it re-issued has its own <see cref="Reissued"/> entry.</summary>
    BulkReissued,
}

/// <summary>One entry of the append-only, hash-chained audit log.</summary>
/// <param name="Seq">Position in the chain, from 1 without gaps.</param>
/// <param name="Time">When it was appended (microsecond precision).</param>
/// <param name="Event">What happened.</param>
/// <param name="Subject">The UVCI concerned, or empty.</param>
/// <param name="Facility">The facility code concerned, or empty.</param>
/// <param name="DetailsJson">A JSON object with event details; never personal data.</param>
/// <param name="PrevHash">Entry hash of the previous entry (32 zero bytes for the first).</param>
/// <param name="EntryHash">SHA-256 over <see cref="AuditHash"/>'s serialization of all the fields above.</param>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset Time,
    string Event,
    string Subject,
    string Facility,
    string DetailsJson,
    byte[] PrevHash,
    byte[] EntryHash);

/// <summary>Why an audit chain is not intact.</summary>
public enum AuditBreakKind
{
    /// <summary>The stored entry hash is not the hash of the entry's content.</summary>
    HashMismatch,

    /// <summary>The entry's prev_hash is not the previous entry's hash.</summary>
    PrevLinkBroken,

    /// <summary>The sequence skips or repeats a number (an entry was deleted or inserted).</summary>
    SeqGap,

    /// <summary>The chain ends before (or after) the head recorded with the last append: entries were cut off the end.</summary>
    HeadMismatch,

    /// <summary>A certificate row differs from what its audit entries record (edited hc1 or other column, flipped status, un-revoked).</summary>
    CertificateMismatch,

    /// <summary>A certificate row has no Issued audit entry (inserted behind the ledger's back).</summary>
    CertificateNotLogged,

    /// <summary>An Issued audit entry has no certificate row (the row was deleted).</summary>
    CertificateMissing,

    /// <summary>The head's certificate or revocation counter differs from the counts the log records.</summary>
    CounterMismatch,
}

/// <summary>The first place where the audit chain is broken, or where a table contradicts it.</summary>
/// <param name="Seq">Sequence number of the first broken entry (HeadMismatch: the head's last seq; certificate kinds: the
/// certificate's Issued entry, 0 when it has none; CounterMismatch: 0).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record AuditBreak(long Seq, AuditBreakKind Kind, string Detail);

/// <summary>Result of verifying the audit chain and the tables against it.</summary>
/// <param name="EntriesChecked">How many entries were read.</param>
/// <param name="FirstBreak">Null when the chain is intact and every table matches it.</param>
public sealed record AuditChainReport(long EntriesChecked, AuditBreak? FirstBreak)
{
    /// <summary>How many certificate rows were compared with the log (0 when the chain itself is broken).</summary>
    public long CertificatesChecked { get; init; }

    /// <summary>True when no break was found.</summary>
    public bool Intact => FirstBreak is null;
}
