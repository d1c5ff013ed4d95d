using System.Collections.Concurrent;

namespace VaxCert.Ledger.Sql;

/// <summary>One certificate waiting in the <see cref="CommitQueue"/>, completed once its group has committed (or failed).</summary>
internal sealed class PendingRecord(CertificateToRecord certificate, CancellationToken cancellationToken)
{
    public CertificateToRecord Certificate { get; } = certificate;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<RecordResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit (docs/ledger.md, "Group commit"): callers enqueue certificates and await their own result; one drain loop
/// per ledger instance takes everything waiting (up to <see cref="MaxGroup"/>) and writes it as ONE transaction, so a
/// group costs one durable commit (one WAL fsync) however many records it holds. While a group commits, new arrivals
/// accumulate and form the next group, so no caller waits for a timer: a lone call is a group of one. A caller's task
/// completes only after its group's commit returned, so nothing is handed out that is not durable.
/// </summary>
internal sealed class CommitQueue(Func<IReadOnlyList<PendingRecord>, Task> writeGroup)
{
    /// <summary>Most records written in one transaction (bounds statement size and the time a group holds the write lock).</summary>
    public const int MaxGroup = 512;

    private readonly ConcurrentQueue<PendingRecord> _pending = new();
    private int _draining;

    /// <summary>Enqueues one certificate; completes with its result once its group has committed.</summary>
    public Task<RecordResult> SubmitOne(CertificateToRecord certificate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingRecord(certificate, cancellationToken);
        _pending.Enqueue(pending);
        Kick();
        return pending.Done.Task;
    }

    /// <summary>Enqueues certificates in order; the results come back in the same order.</summary>
    public async Task<IReadOnlyList<RecordResult>> SubmitMany(IReadOnlyList<CertificateToRecord> certificates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingRecord[certificates.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = new PendingRecord(certificates[i], cancellationToken);
            _pending.Enqueue(pending[i]);
        }
        Kick();
        var results = new RecordResult[pending.Length];
        for (var i = 0; i < pending.Length; i++)
            results[i] = await pending[i].Done.Task.ConfigureAwait(false);
        return results;
    }

    private void Kick()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        var group = new List<PendingRecord>(MaxGroup);
        while (true)
        {
            group.Clear();
            while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
            {
                // A caller that gave up before its record was taken spends nothing; once taken, the group decides.
                if (next.CancellationToken.IsCancellationRequested)
                    next.Done.TrySetCanceled(next.CancellationToken);
                else
                    group.Add(next);
            }
            if (group.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // An enqueue that saw _draining == 1 just before we cleared it relies on us to pick its record up.
                if (_pending.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                    return;
                continue;
            }
            try
            {
                await writeGroup(group).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var p in group)
                    p.Done.TrySetException(ex);
            }
            foreach (var p in group) // a writer that forgot one must not leave its caller hanging
                p.Done.TrySetException(new LedgerException("the group commit ended without a result for this record"));
        }
    }
}
