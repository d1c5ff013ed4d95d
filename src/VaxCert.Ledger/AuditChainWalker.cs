namespace VaxCert.Ledger;

/// <summary>
/// Checks audit entries one at a time, in seq order, so a chain of any length is verified in constant memory.
/// Stops at the first break.
/// </summary>
public sealed class AuditChainWalker
{
    private long _expectedSeq = 1;
    private byte[] _prevHash = AuditHash.Genesis;

    /// <summary>Entries accepted so far.</summary>
    public long Checked { get; private set; }

    /// <summary>Issued and Reissued entries accepted so far: the number of certificates the log says exist.</summary>
    public long IssuedEntries { get; private set; }

    /// <summary>Revoked entries accepted so far: the number of revocations the log says happened.</summary>
    public long RevokedEntries { get; private set; }

    /// <summary>The first break found, if any; once set, further entries are ignored.</summary>
    public AuditBreak? FirstBreak { get; private set; }

    /// <summary>Checks the next entry; returns false once the chain is broken.</summary>
    public bool Accept(AuditEntry entry)
    {
        if (FirstBreak is not null)
            return false;
        FirstBreak = FindBreak(entry);
        if (FirstBreak is not null)
            return false;
        _prevHash = entry.EntryHash;
        _expectedSeq++;
        Checked++;
        if (entry.Event is nameof(AuditEvent.Issued) or nameof(AuditEvent.Reissued)) // a re-issue records a new certificate
            IssuedEntries++;
        else if (entry.Event == nameof(AuditEvent.Revoked))
            RevokedEntries++;
        return true;
    }

    /// <summary>
    /// Compares the end of the walk with the head written by the last append; a mismatch means entries were cut off the
    /// end (or appended behind the ledger's back), which the links alone cannot reveal.
    /// </summary>
    public AuditChainReport Finish(long headSeq, ReadOnlySpan<byte> headHash)
    {
        if (FirstBreak is null && (headSeq != _expectedSeq - 1 || !headHash.SequenceEqual(_prevHash)))
            FirstBreak = new AuditBreak(headSeq, AuditBreakKind.HeadMismatch,
                $"the chain ends at seq {_expectedSeq - 1} but the ledger head records seq {headSeq} with a different last hash");
        return new AuditChainReport(Checked, FirstBreak);
    }

    private AuditBreak? FindBreak(AuditEntry entry)
    {
        if (entry.Seq != _expectedSeq)
            return new AuditBreak(entry.Seq, AuditBreakKind.SeqGap,
                entry.Seq > _expectedSeq ? $"expected seq {_expectedSeq}, found {entry.Seq}: entries are missing"
                                         : $"expected seq {_expectedSeq}, found {entry.Seq}: seq repeats or goes back");
        if (!AuditHash.Compute(entry).AsSpan().SequenceEqual(entry.EntryHash))
            return new AuditBreak(entry.Seq, AuditBreakKind.HashMismatch, "the stored entry hash does not match the entry's content");
        if (!entry.PrevHash.AsSpan().SequenceEqual(_prevHash))
            return new AuditBreak(entry.Seq, AuditBreakKind.PrevLinkBroken,
                entry.Seq == 1 ? "the first entry's prev_hash is not the genesis value" : $"prev_hash does not match the entry hash of seq {entry.Seq - 1}");
        return null;
    }
}
