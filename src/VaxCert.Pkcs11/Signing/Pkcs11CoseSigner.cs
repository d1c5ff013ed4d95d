using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.MechanismParams;
using VaxCert.Core.Signing;

namespace VaxCert.Pkcs11.Signing;

/// <summary>
/// An <see cref="ICoseSigner"/> whose private key stays on a PKCS#11 token or HSM (through Pkcs11Interop). Hashes on the
/// host (SHA-256) and signs with CKM_ECDSA (ES256, raw r‖s) or CKM_RSA_PKCS_PSS (PS256). Logs in once, signs on a bounded
/// session pool, and heals lost sessions, a lost login, a finalised module or a re-inserted token by itself (see
/// docs/pkcs11.md). Thread-safe; <see cref="SignAsync"/> waits for a pooled session without blocking a thread.
/// </summary>
public sealed class Pkcs11CoseSigner : ICoseSigner
{
    private const int EcdsaSignatureLength = 64;

    private readonly Pkcs11Module _module;
    private readonly Pkcs11SignerOptions _options;
    private readonly SessionPool _pool;
    private readonly object _recoveryLock = new();
    private readonly byte[] _kid;
    private readonly int _signatureLength;
    private readonly IMechanism _mechanism;
    private ISession _loginSession;
    private volatile KeyState _key;
    private int _recoveries;

    private Pkcs11CoseSigner(Pkcs11Module module, Pkcs11SignerOptions options, Connection connection)
    {
        _module = module;
        _options = options;
        _loginSession = connection.LoginSession;
        Certificate = connection.Key.Certificate;
        Algorithm = connection.Key.Algorithm;
        Token = connection.Token;
        _kid = KeyIdentifier.For(Certificate);
        _signatureLength = SignatureLength(connection.Key);
        _mechanism = Mechanism(Algorithm);
        _key = new KeyState(connection.Key.Handle, 0);
        _pool = new SessionPool(module, connection.Token.SlotId, options.PoolSize);
    }

    /// <summary>
    /// Loads the module, finds the token, logs in, finds the key and its certificate, and refuses to start if the
    /// certificate does not belong to the key (a probe signature must verify with the certificate).
    /// </summary>
    /// <exception cref="SigningException">Misconfigured (module, token, key or certificate), AuthenticationFailed (PIN),
    /// Unavailable or DeviceError. The inner exception is a Pkcs11Interop <see cref="Pkcs11Exception"/> or a
    /// <see cref="Pkcs11LookupException"/>.</exception>
    public static Pkcs11CoseSigner Open(Pkcs11SignerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Pkcs11Module module;
        try
        {
            module = Pkcs11Module.Load(Pkcs11Module.ResolvePath(options.ModulePath));
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException or BadImageFormatException
                                      or EntryPointNotFoundException or UnmanagedException)
        {
            throw new SigningException(SigningFailure.Misconfigured, $"Cannot load PKCS#11 module: {e.Message}", e);
        }
        catch (Pkcs11Exception e)
        {
            throw new SigningException(FailurePolicy.ToSigningFailure(e.RV), $"Cannot initialise PKCS#11 module: {e.Message}", e);
        }
        try
        {
            return new Pkcs11CoseSigner(module, options, Translate(() => Connect(module, options, expectedCertificate: null)));
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public CoseAlgorithm Algorithm { get; }

    /// <inheritdoc />
    public X509Certificate2 Certificate { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> KeyId => _kid;

    /// <summary>The token as found at start-up.</summary>
    public TokenInfo Token { get; }

    /// <summary>How many times the signer has rebuilt its sessions and login since it started.</summary>
    public int Recoveries => Volatile.Read(ref _recoveries);

    /// <inheritdoc />
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var hash = SHA256.HashData(data);
        for (var attempt = 0; ; attempt++)
        {
            var key = _key;
            try
            {
                using var lease = _pool.Rent();
                return SignOn(lease, key, hash);
            }
            catch (Exception e) when (CanRetry(e, attempt))
            {
                Thread.Sleep(Backoff(attempt));
                Recover(key.Generation);
            }
            catch (Exception e) when (e is Pkcs11Exception or ObjectDisposedException)
            {
                throw Failed(e, attempt);
            }
        }
    }

    /// <summary>
    /// Signs like <see cref="Sign"/>, but waits for a pooled session (and between recovery attempts) asynchronously.
    /// Cancellation is honoured while waiting: it ends the call with <see cref="OperationCanceledException"/> and leaves
    /// the pool as it was. The token call itself is synchronous and runs to the end once started (PKCS#11 cannot cancel it).
    /// </summary>
    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var hash = SHA256.HashData(data.Span);
        for (var attempt = 0; ; attempt++)
        {
            var key = _key;
            try
            {
                using var lease = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
                return SignOn(lease, key, hash);
            }
            catch (Exception e) when (CanRetry(e, attempt))
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                Recover(key.Generation);
            }
            catch (Exception e) when (e is Pkcs11Exception or ObjectDisposedException)
            {
                throw Failed(e, attempt);
            }
        }
    }

    private bool CanRetry(Exception e, int attempt) => FailurePolicy.IsRecoverable(e) && attempt < _options.MaxRecoveryAttempts;

    private TimeSpan Backoff(int attempt) => _options.RecoveryDelay * Math.Pow(2, attempt);

    private SigningException Failed(Exception e, int attempt)
    {
        var failure = e is Pkcs11Exception p ? FailurePolicy.ToSigningFailure(p.RV) : SigningFailure.Unavailable;
        var what = FailurePolicy.IsRecoverable(e)
            ? $"Token {_options.Token} is unavailable after {attempt} recovery attempts"
            : $"Signing on token {_options.Token} failed";
        return new SigningException(failure, $"{what}: {e.Message}", e);
    }

    private byte[] SignOn(SessionPool.Lease lease, KeyState key, byte[] hash)
    {
        byte[] signature;
        try
        {
            signature = lease.Session.Sign(_mechanism, key.Handle, hash);
        }
        catch
        {
            lease.Discard();
            throw;
        }
        if (signature.Length != _signatureLength)
            throw new SigningException(SigningFailure.DeviceError,
                $"The token returned a {signature.Length}-byte signature; {Algorithm} needs {_signatureLength} bytes.");
        return signature;
    }

    /// <summary>Rebuilds sessions, login and key handle unless another thread already did since <paramref name="failedGeneration"/>.</summary>
    private void Recover(int failedGeneration)
    {
        lock (_recoveryLock)
        {
            if (_key.Generation != failedGeneration)
                return;
            _pool.Reset();
            _loginSession.CloseQuietly();
            Connection connection;
            try
            {
                // Harmless when still initialised; after someone called C_Finalize it brings in a fresh library instance.
                connection = Translate(() =>
                {
                    _module.EnsureInitialized();
                    return Connect(_module, _options, Certificate);
                });
            }
            catch (SigningException e) when (e.Failure == SigningFailure.Unavailable)
            {
                return; // token still gone: the caller waits and tries again
            }
            _loginSession = connection.LoginSession;
            _pool.Reset(connection.Token.SlotId);
            _key = new KeyState(connection.Key.Handle, failedGeneration + 1);
            Interlocked.Increment(ref _recoveries);
        }
    }

    private static Connection Connect(Pkcs11Module module, Pkcs11SignerOptions options, X509Certificate2? expectedCertificate)
    {
        var token = module.FindToken(options.Token);
        var session = module.OpenSession(token.SlotId);
        try
        {
            Login(module, session, token, options);
            var key = TokenKey.Find(session, options.Key);
            if (expectedCertificate is not null && !key.Certificate.RawData.AsSpan().SequenceEqual(expectedCertificate.RawData))
                throw new Pkcs11LookupException(LookupFailure.CertificateMismatch,
                    $"The certificate of key {options.Key} changed while the signer was running.");
            using var mechanism = Mechanism(key.Algorithm);
            key.EnsureCertificateMatches(hash => session.Sign(mechanism, key.Handle, hash));
            return new Connection(token, session, key);
        }
        catch
        {
            session.CloseQuietly();
            throw;
        }
    }

    private static void Login(Pkcs11Module module, ISession session, TokenInfo token, Pkcs11SignerOptions options)
    {
        if (token.PinState == PinRetryState.Locked)
            throw new SigningException(SigningFailure.AuthenticationFailed, $"The user PIN of token '{token.Label}' is locked; only the SO can unlock it.");
        byte[] pin;
        try
        {
            pin = options.Pin.Obtain();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new SigningException(SigningFailure.AuthenticationFailed, $"No PIN for token '{token.Label}' from {options.Pin.Description}: {e.Message}", e);
        }
        try
        {
            session.LoginWith(CKU.CKU_USER, pin);
        }
        catch (Pkcs11Exception e) when (FailurePolicy.IsPinFailure(e.RV))
        {
            // Never retried: every attempt uses up the token's try counter. Report what the token says is left.
            var state = TryGetPinState(module, token.SlotId);
            throw new SigningException(SigningFailure.AuthenticationFailed,
                $"Login to token '{token.Label}' failed with {FailurePolicy.Name(e.RV)} (PIN from {options.Pin.Description}); " +
                $"token PIN state: {state?.ToString() ?? "unknown"}.", e);
        }
        finally
        {
            // Pkcs11Interop's byte[] overload hands this very array to C_Login without a copy: zeroing it leaves none behind.
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    private static PinRetryState? TryGetPinState(Pkcs11Module module, ulong slotId)
    {
        try
        {
            return module.GetTokenInfo(slotId).PinState;
        }
        catch (Pkcs11Exception)
        {
            return null;
        }
    }

    /// <summary>CKM_ECDSA over a host hash, or CKM_RSA_PKCS_PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (COSE PS256).</summary>
    private static IMechanism Mechanism(CoseAlgorithm algorithm)
    {
        var factories = Pkcs11InteropRuntime.Factories;
        if (algorithm == CoseAlgorithm.ES256)
            return factories.MechanismFactory.Create(CKM.CKM_ECDSA);
        var pss = factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams((ulong)CKM.CKM_SHA256, (ulong)CKG.CKG_MGF1_SHA256, 32);
        return factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_PSS, pss);
    }

    private static int SignatureLength(TokenKey key)
    {
        if (key.Algorithm == CoseAlgorithm.ES256)
            return EcdsaSignatureLength;
        using var rsa = key.Certificate.GetRSAPublicKey();
        return (rsa?.KeySize ?? 2048) / 8;
    }

    /// <summary>Turns lookup and PKCS#11 errors during start-up or recovery into <see cref="SigningException"/>s.</summary>
    private static T Translate<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Pkcs11LookupException e)
        {
            var failure = e.Failure == LookupFailure.TokenNotFound ? SigningFailure.Unavailable : SigningFailure.Misconfigured;
            throw new SigningException(failure, e.Message, e);
        }
        catch (Pkcs11Exception e)
        {
            throw new SigningException(FailurePolicy.ToSigningFailure(e.RV), e.Message, e);
        }
        catch (ObjectDisposedException e)
        {
            throw new SigningException(SigningFailure.Unavailable, "The PKCS#11 library was re-initialised during the call.", e);
        }
    }

    public void Dispose()
    {
        lock (_recoveryLock)
        {
            _pool.Dispose();
            _loginSession.CloseQuietly();
            _mechanism.Dispose();
            _module.Dispose();
        }
    }

    private sealed record KeyState(IObjectHandle Handle, int Generation);

    private sealed record Connection(TokenInfo Token, ISession LoginSession, TokenKey Key);
}
