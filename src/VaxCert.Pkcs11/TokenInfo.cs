using System.Text;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11;

/// <summary>What a slot's token says about itself (CK_TOKEN_INFO), with the space-padded text fields trimmed.</summary>
public sealed record TokenInfo(ulong SlotId, string Label, string Manufacturer, string Model, string SerialNumber,
    TokenFlags Flags, ulong MaxSessionCount, ulong SessionCount)
{
    /// <summary>True once the token has been initialised (has a label and an SO PIN).</summary>
    public bool IsInitialized => Flags.HasFlag(TokenFlags.TokenInitialized);

    /// <summary>The user-PIN retry state the token reports, for messages after a failed login.</summary>
    public PinRetryState PinState => PinRetryStates.From(Flags);

    /// <summary>Parses a CK_TOKEN_INFO buffer laid out for <paramref name="abi"/>.</summary>
    public static TokenInfo Parse(Pkcs11Abi abi, ulong slotId, ReadOnlySpan<byte> raw)
    {
        var layout = abi.TokenInfo;
        return new TokenInfo(slotId,
            PaddedText.Decode(raw.Slice(layout.Label, 32)),
            PaddedText.Decode(raw.Slice(layout.Manufacturer, 32)),
            PaddedText.Decode(raw.Slice(layout.Model, 16)),
            PaddedText.Decode(raw.Slice(layout.SerialNumber, 16)),
            (TokenFlags)abi.ReadULong(raw, layout.Flags),
            abi.ReadULong(raw, layout.MaxSessionCount),
            abi.ReadULong(raw, layout.SessionCount));
    }
}

/// <summary>The fixed-size, space-padded, not NUL-terminated UTF-8 fields of PKCS#11 info structures.</summary>
public static class PaddedText
{
    /// <summary>Decodes and trims trailing spaces (and NULs some modules use instead).</summary>
    public static string Decode(ReadOnlySpan<byte> field) => Encoding.UTF8.GetString(field).TrimEnd(' ', '\0');

    /// <summary>Encodes <paramref name="text"/> padded with spaces to <paramref name="length"/> bytes (for C_InitToken's label).</summary>
    public static byte[] Encode(string text, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > length)
            throw new ArgumentException($"'{text}' is longer than {length} bytes in UTF-8.", nameof(text));
        var field = new byte[length];
        field.AsSpan().Fill((byte)' ');
        bytes.CopyTo(field, 0);
        return field;
    }
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
    public static PinRetryState From(TokenFlags flags)
        => flags.HasFlag(TokenFlags.UserPinLocked) ? PinRetryState.Locked
            : flags.HasFlag(TokenFlags.UserPinFinalTry) ? PinRetryState.FinalTry
            : flags.HasFlag(TokenFlags.UserPinCountLow) ? PinRetryState.CountLow
            : PinRetryState.Ok;
}
