using System.Collections.Concurrent;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Signing;

/// <summary>
/// A bounded set of sessions on one token, each leased to one caller at a time (a session runs one operation at a time).
/// A session is probed with C_GetSessionInfo when taken. <see cref="Reset"/> starts a new generation: idle sessions are
/// closed at once and leased ones when they come back.
/// </summary>
internal sealed class SessionPool : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<Pkcs11Session> _idle = [];
    private volatile PoolTarget _target;

    public SessionPool(Pkcs11Module module, ulong slotId, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _module = module;
        _slots = new SemaphoreSlim(size, size);
        _target = new PoolTarget(slotId, 0);
    }

    /// <summary>Takes a healthy, logged-in session, waiting while all are leased.</summary>
    /// <exception cref="Pkcs11Exception">No healthy session could be opened (the caller recovers).</exception>
    public Lease Rent()
    {
        _slots.Wait();
        try
        {
            var target = _target;
            while (_idle.TryTake(out var session))
            {
                if (session.SlotId == target.SlotId && IsUsable(session))
                    return new Lease(this, session, target.Generation);
                session.Dispose(); // dead or from an older generation: drop it, try the next one
            }
            var fresh = _module.OpenSession(target.SlotId);
            var state = StateOf(fresh);
            if (state is SessionState.ReadOnlyUser or SessionState.ReadWriteUser)
                return new Lease(this, fresh, target.Generation);
            fresh.Dispose();
            throw new Pkcs11Exception("C_GetSessionInfo", Ckr.USER_NOT_LOGGED_IN, "a new session is not logged in");
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
        while (_idle.TryTake(out var session))
            session.Dispose();
    }

    private static bool IsUsable(Pkcs11Session session)
        => StateOf(session) is SessionState.ReadOnlyUser or SessionState.ReadWriteUser;

    private static SessionState? StateOf(Pkcs11Session session)
    {
        try
        {
            return session.GetState();
        }
        catch (Pkcs11Exception)
        {
            return null;
        }
    }

    private void Return(Pkcs11Session session, int generation, bool healthy)
    {
        if (healthy && generation == _target.Generation)
            _idle.Add(session);
        else
            session.Dispose();
        _slots.Release();
    }

    public void Dispose()
    {
        Reset();
    }

    private sealed record PoolTarget(ulong SlotId, int Generation);

    /// <summary>One leased session. Dispose returns it; <see cref="Discard"/> first if it failed.</summary>
    public sealed class Lease(SessionPool pool, Pkcs11Session session, int generation) : IDisposable
    {
        private bool _healthy = true;
        private int _returned;

        public Pkcs11Session Session { get; } = session;

        /// <summary>Marks the session as broken so it is closed instead of reused.</summary>
        public void Discard() => _healthy = false;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
                pool.Return(Session, generation, _healthy);
        }
    }
}
