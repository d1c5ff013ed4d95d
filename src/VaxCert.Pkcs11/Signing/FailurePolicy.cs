using Net.Pkcs11Interop.Common;
using VaxCert.Core.Signing;

namespace VaxCert.Pkcs11.Signing;

/// <summary>What the signer does about a CK_RV: the recovery table of docs/pkcs11.md in code.</summary>
public static class FailurePolicy
{
    /// <summary>
    /// True for errors the signer heals by itself: lost sessions, lost login, a removed or reset token, stale handles,
    /// transient device trouble. Never true for PIN errors: each retry would burn the token's try counter.
    /// </summary>
    public static bool IsRecoverable(CKR result) => result is
        CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT or
        CKR.CKR_TOKEN_NOT_RECOGNIZED or CKR.CKR_CRYPTOKI_NOT_INITIALIZED or CKR.CKR_USER_NOT_LOGGED_IN or
        CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_OPERATION_ACTIVE or CKR.CKR_DEVICE_ERROR or
        CKR.CKR_DEVICE_MEMORY or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED or CKR.CKR_SLOT_ID_INVALID;

    /// <summary>
    /// True for a failed token call the signer heals: a recoverable CK_RV, or a session of a library instance that was
    /// replaced after someone finalised the module (Pkcs11Interop then throws <see cref="ObjectDisposedException"/>).
    /// </summary>
    public static bool IsRecoverable(Exception failure) => failure switch
    {
        Pkcs11Exception e => IsRecoverable(e.RV),
        ObjectDisposedException => true,
        _ => false,
    };

    /// <summary>True for errors that mean the PIN was refused or can no longer be used.</summary>
    public static bool IsPinFailure(CKR result) => result is
        CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_EXPIRED or CKR.CKR_PIN_LOCKED;

    /// <summary>The <see cref="SigningFailure"/> a CK_RV maps to when it reaches the caller.</summary>
    public static SigningFailure ToSigningFailure(CKR result)
        => IsPinFailure(result) || result == CKR.CKR_USER_PIN_NOT_INITIALIZED ? SigningFailure.AuthenticationFailed
            : result is CKR.CKR_MECHANISM_INVALID or CKR.CKR_MECHANISM_PARAM_INVALID or CKR.CKR_KEY_FUNCTION_NOT_PERMITTED
                or CKR.CKR_KEY_TYPE_INCONSISTENT ? SigningFailure.Misconfigured
            : IsRecoverable(result) ? SigningFailure.Unavailable
            : SigningFailure.DeviceError;

    /// <summary>"CKR_PIN_INCORRECT", or the hex value of a vendor code the enum does not name.</summary>
    public static string Name(CKR result) => Enum.IsDefined(result) ? result.ToString() : $"CKR_0x{(ulong)result:X}";
}
