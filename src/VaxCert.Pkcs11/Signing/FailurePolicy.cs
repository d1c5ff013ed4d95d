using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Signing;

/// <summary>What the signer does about a CK_RV: the recovery table of docs/pkcs11.md in code.</summary>
public static class FailurePolicy
{
    /// <summary>
    /// True for errors the signer heals by itself: lost sessions, lost login, a removed or reset token, stale handles,
    /// transient device trouble. Never true for PIN errors: each retry would burn the token's try counter.
    /// </summary>
    public static bool IsRecoverable(Ckr result) => result is
        Ckr.SESSION_HANDLE_INVALID or Ckr.SESSION_CLOSED or Ckr.DEVICE_REMOVED or Ckr.TOKEN_NOT_PRESENT or
        Ckr.TOKEN_NOT_RECOGNIZED or Ckr.CRYPTOKI_NOT_INITIALIZED or Ckr.USER_NOT_LOGGED_IN or Ckr.KEY_HANDLE_INVALID or
        Ckr.OBJECT_HANDLE_INVALID or Ckr.OPERATION_ACTIVE or Ckr.DEVICE_ERROR or Ckr.DEVICE_MEMORY or
        Ckr.GENERAL_ERROR or Ckr.FUNCTION_FAILED or Ckr.SLOT_ID_INVALID;

    /// <summary>True for errors that mean the PIN was refused or can no longer be used.</summary>
    public static bool IsPinFailure(Ckr result) => result is
        Ckr.PIN_INCORRECT or Ckr.PIN_INVALID or Ckr.PIN_LEN_RANGE or Ckr.PIN_EXPIRED or Ckr.PIN_LOCKED;

    /// <summary>The <see cref="SigningFailure"/> a CK_RV maps to when it reaches the caller.</summary>
    public static SigningFailure ToSigningFailure(Ckr result)
        => IsPinFailure(result) || result == Ckr.USER_PIN_NOT_INITIALIZED ? SigningFailure.AuthenticationFailed
            : result is Ckr.MECHANISM_INVALID or Ckr.MECHANISM_PARAM_INVALID or Ckr.KEY_FUNCTION_NOT_PERMITTED
                or Ckr.KEY_TYPE_INCONSISTENT ? SigningFailure.Misconfigured
            : IsRecoverable(result) ? SigningFailure.Unavailable
            : SigningFailure.DeviceError;
}
