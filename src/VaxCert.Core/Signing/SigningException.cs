namespace VaxCert.Core.Signing;

/// <summary>Why a signing key could not sign. Never carries a PIN or key material.</summary>
public enum SigningFailure
{
    /// <summary>The key or its device is temporarily unavailable (token removed, HSM down); retrying later may work.</summary>
    Unavailable,
    /// <summary>Authentication to the key store failed (wrong PIN, PIN locked).</summary>
    AuthenticationFailed,
    /// <summary>Configuration is wrong (key not found, certificate does not match the key).</summary>
    Misconfigured,
    /// <summary>Anything else the device reported.</summary>
    DeviceError,
}

/// <summary>A signer could not produce a signature.</summary>
public sealed class SigningException : Exception
{
    public SigningException(SigningFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    public SigningFailure Failure { get; }
}
