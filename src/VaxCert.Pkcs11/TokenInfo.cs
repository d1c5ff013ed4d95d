using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11;

/// <summary>What a slot's token says about itself (CK_TOKEN_INFO); Pkcs11Interop trims the space-padded text fields.</summary>
public sealed record TokenInfo(ulong SlotId, string Label, string Manufacturer, string Model, string SerialNumber,
    bool IsInitialized, PinRetryState PinState, ulong MaxSessionCount, ulong SessionCount)
{
    /// <summary>The VaxCert view of Pkcs11Interop's token info for <paramref name="slotId"/>.</summary>
    public static TokenInfo From(ulong slotId, ITokenInfo info) => new(slotId, info.Label.TrimEnd(' ', '\0'),
        info.ManufacturerId.TrimEnd(' ', '\0'), info.Model.TrimEnd(' ', '\0'), info.SerialNumber.TrimEnd(' ', '\0'),
        info.TokenFlags.TokenInitialized, PinRetryStates.From(info.TokenFlags), info.MaxSessionCount, info.SessionCount);
}

/// <summary>The user-PIN counter state from CK_TOKEN_INFO flags.</summary>
public enum PinRetryState
{
    /// <summary>No warning flag is set.</summary>
    Ok,
    /// <summary>CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last successful login.</summary>
    CountLow,
    /// <summary>CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token.</summary>
    FinalTry,
    /// <summary>CKF_USER_PIN_LOCKED: only the security officer can unlock it.</summary>
    Locked,
}

/// <summary>Maps token flags to <see cref="PinRetryState"/>, most severe first.</summary>
public static class PinRetryStates
{
    /// <summary>The most severe state the flags report.</summary>
    public static PinRetryState From(ITokenFlags flags) => From(flags.UserPinLocked, flags.UserPinFinalTry, flags.UserPinCountLow);

    /// <summary>The most severe of the three CKF_USER_PIN_* flags.</summary>
    public static PinRetryState From(bool locked, bool finalTry, bool countLow)
        => locked ? PinRetryState.Locked : finalTry ? PinRetryState.FinalTry : countLow ? PinRetryState.CountLow : PinRetryState.Ok;
}
