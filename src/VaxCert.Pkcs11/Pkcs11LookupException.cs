namespace VaxCert.Pkcs11;

/// <summary>Why a token, key or certificate could not be used.</summary>
public enum LookupFailure
{
    /// <summary>No present token has the configured label/serial.</summary>
    TokenNotFound,
    /// <summary>More than one token matches the selector.</summary>
    TokenAmbiguous,
    /// <summary>No private key matches the key selector.</summary>
    KeyNotFound,
    /// <summary>More than one private key matches the key selector.</summary>
    KeyAmbiguous,
    /// <summary>No X.509 certificate object shares the key's CKA_ID.</summary>
    CertificateNotFound,
    /// <summary>The certificate's public key is not the private key's (probe signature did not verify).</summary>
    CertificateMismatch,
    /// <summary>The key is neither EC P-256 nor RSA of at least 2048 bits.</summary>
    UnsupportedKey,
}

/// <summary>A configured token, key or certificate is missing or unusable. Carries names, never secrets.</summary>
public sealed class Pkcs11LookupException(LookupFailure failure, string message) : Exception(message)
{
    /// <summary>What was wrong.</summary>
    public LookupFailure Failure { get; } = failure;
}
