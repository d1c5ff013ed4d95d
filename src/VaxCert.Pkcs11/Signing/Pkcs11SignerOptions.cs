namespace VaxCert.Pkcs11.Signing;

/// <summary>Configuration of a <see cref="Pkcs11CoseSigner"/>.</summary>
public sealed record Pkcs11SignerOptions
{
    /// <summary>Path of the PKCS#11 module; null means VAXCERT_PKCS11_MODULE or the SoftHSM2 default.</summary>
    public string? ModulePath { get; init; }

    /// <summary>Which token (label and/or serial).</summary>
    public required TokenSelector Token { get; init; }

    /// <summary>Which key (label and/or CKA_ID); the certificate is the X.509 object with the key's CKA_ID.</summary>
    public required KeySelector Key { get; init; }

    /// <summary>Where the user PIN comes from; asked again after a lost login.</summary>
    public required PinSource Pin { get; init; }

    /// <summary>How many sessions sign in parallel. USB tokens serialise anyway; keep 1-4.</summary>
    public int PoolSize { get; init; } = 2;

    /// <summary>How many times one Sign call recovers (re-session, re-login, re-find) before giving up.</summary>
    public int MaxRecoveryAttempts { get; init; } = 5;

    /// <summary>First wait before a recovery attempt; doubles each time.</summary>
    public TimeSpan RecoveryDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}
