using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11.Signing;

/// <summary>
/// A bounded set of sessions on one token, each leased to one caller at a time. Pkcs11Interop does not serialise calls on
/// a session (SoftHSM crashed the process when 4 threads signed on one), so this pool is what keeps sessions exclusive.
/// A session is probed with C_GetSessionInfo when taken. <see cref="Reset"/> starts a new generation: idle sessions are
/// closed at once and leased ones when they come back.
/// </summary>
internal sealed class SessionPool : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<(ISession Session, int Generation)> _idle = [];
    private volatile PoolTarget _target;

    public SessionPool(Pkcs11Module module, ulong slotId, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _module = module;
        _slots = new SemaphoreSlim(size, size);
        _target = new PoolTarget(slotId, 0);
    }

    /// <summary>Takes a healthy, logged-in session, blocking while all are leased.</summary>
    /// <exception cref="Pkcs11Exception">No healthy session could be opened (the caller recovers).</exception>
    public Lease Rent()
    {
        _slots.Wait();
        return TakeHoldingSlot();
    }

    /// <summary>Like <see cref="Rent"/>, but waits asynchronously and stops waiting when <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while every session was leased.</exception>
    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return TakeHoldingSlot();
    }

    private Lease TakeHoldingSlot()
    {
        try
        {
            var target = _target;
            while (_idle.TryTake(out var idle))
            {
                if (idle.Generation == target.Generation && IsLoggedIn(idle.Session))
                    return new Lease(this, idle.Session, target.Generation);
                idle.Session.CloseQuietly(); // dead or from an older generation: drop it, try the next one
            }
            var fresh = _module.OpenSession(target.SlotId);
            if (IsLoggedIn(fresh))
                return new Lease(this, fresh, target.Generation);
            fresh.CloseQuietly();
            throw new Pkcs11Exception("C_GetSessionInfo", CKR.CKR_USER_NOT_LOGGED_IN);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Closes idle sessions and retargets the pool (after recovery the token may sit in another slot).</summary>
    public void Reset(ulong? slotId = null)
    {
        _target = new PoolTarget(slotId ?? _target.SlotId, _target.Generation + 1);
        while (_idle.TryTake(out var idle))
            idle.Session.CloseQuietly();
    }

    private static bool IsLoggedIn(ISession session)
    {
        try
        {
            return session.GetSessionInfo().State is CKS.CKS_RO_USER_FUNCTIONS or CKS.CKS_RW_USER_FUNCTIONS;
        }
        catch (Exception e) when (e is Pkcs11Exception or ObjectDisposedException)
        {
            return false;
        }
    }

    private void Return(ISession session, int generation, bool healthy)
    {
        if (healthy && generation == _target.Generation)
            _idle.Add((session, generation));
        else
            session.CloseQuietly();
        _slots.Release();
    }

    public void Dispose() => Reset();

    private sealed record PoolTarget(ulong SlotId, int Generation);

    /// <summary>One leased session. Dispose returns it; <see cref="Discard"/> first if it failed.</summary>
    public sealed class Lease(SessionPool pool, ISession session, int generation) : IDisposable
    {
        private bool _healthy = true;
        private int _returned;

        public ISession Session { get; } = session;

        /// <summary>Marks the session as broken so it is closed instead of reused.</summary>
        public void Discard() => _healthy = false;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
                pool.Return(Session, generation, _healthy);
        }
    }
}
