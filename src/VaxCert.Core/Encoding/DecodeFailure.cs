namespace VaxCert.Core.Encoding;

/// <summary>
/// Why an untrusted HC1 input could not be decoded, per pipeline stage. Numbers are stable and grouped by stage
/// (1xxx context/transport, 2xxx COSE/CWT structure, 5xxx payload); the verifier SDK reuses them as reason codes.
/// </summary>
public enum DecodeFailure
{
    None = 0,
    /// <summary>Input longer than the configured cap.</summary>
    InputTooLong = 1001,
    /// <summary>The text has no context prefix at all.</summary>
    PrefixMissing = 1101,
    /// <summary>The text has a prefix other than HC1: (e.g. HC2:, HL0:).</summary>
    PrefixUnsupported = 1102,
    /// <summary>A character outside the Base45 alphabet.</summary>
    Base45InvalidCharacter = 1201,
    /// <summary>A Base45 group whose value does not fit in its bytes, or a dangling single character.</summary>
    Base45InvalidGroup = 1202,
    /// <summary>Not a zlib (RFC 1950) stream: bad header, corrupt deflate data, checksum mismatch or trailing bytes.</summary>
    ZlibInvalid = 1301,
    /// <summary>Inflating would exceed the decompressed-size cap (decompression bomb).</summary>
    ZlibTooLarge = 1302,
    /// <summary>Not well-formed CBOR, or nested/sized beyond the caps.</summary>
    CborInvalid = 2001,
    /// <summary>CBOR nesting deeper than allowed.</summary>
    CborTooDeep = 2002,
    /// <summary>CBOR is well-formed but not a COSE_Sign1 (wrong tag, wrong shape, wrong types).</summary>
    CoseInvalid = 2101,
    /// <summary>The protected header is not a serialized CBOR map, or has duplicate / conflicting labels.</summary>
    CoseHeaderInvalid = 2102,
    /// <summary>
    /// The protected header's crit (RFC 9052 §3.1) lists a parameter this decoder does not process (anything but alg and
    /// kid): the message must not be accepted while ignoring it.
    /// </summary>
    CoseCriticalHeaderUnsupported = 2103,
    /// <summary>The payload is missing (detached) or not a CWT claims map.</summary>
    CwtInvalid = 2201,
    /// <summary>A CWT claim has the wrong type (iat/exp not numeric, iss not text).</summary>
    CwtClaimInvalid = 2202,
    /// <summary>The CWT has no hcert (-260) claim with key 1.</summary>
    HcertMissing = 2203,
    /// <summary>The DCC payload is not a map, or holds an item JSON cannot express (a byte string).</summary>
    DccInvalid = 5001,
}

/// <summary>Human-readable descriptions for <see cref="DecodeFailure"/>.</summary>
public static class DecodeFailureText
{
    public static string Describe(this DecodeFailure failure) => failure switch
    {
        DecodeFailure.None => "no error",
        DecodeFailure.InputTooLong => "input is longer than the allowed maximum",
        DecodeFailure.PrefixMissing => "the text does not start with the HC1: context prefix",
        DecodeFailure.PrefixUnsupported => "the context prefix is not HC1: (unsupported version or type)",
        DecodeFailure.Base45InvalidCharacter => "a character outside the Base45 alphabet",
        DecodeFailure.Base45InvalidGroup => "a Base45 group is out of range or incomplete",
        DecodeFailure.ZlibInvalid => "the data is not a valid zlib stream",
        DecodeFailure.ZlibTooLarge => "the data inflates beyond the allowed size",
        DecodeFailure.CborInvalid => "the data is not well-formed CBOR within the size limits",
        DecodeFailure.CborTooDeep => "the CBOR data is nested too deeply",
        DecodeFailure.CoseInvalid => "the data is not a COSE_Sign1 structure",
        DecodeFailure.CoseHeaderInvalid => "the COSE headers are malformed",
        DecodeFailure.CoseCriticalHeaderUnsupported => "the COSE header marks as critical a parameter that is not supported",
        DecodeFailure.CwtInvalid => "the COSE payload is not a CWT claims map",
        DecodeFailure.CwtClaimInvalid => "a CWT claim has the wrong type",
        DecodeFailure.HcertMissing => "the CWT has no health certificate claim (-260/1)",
        DecodeFailure.DccInvalid => "the health certificate payload is malformed",
        _ => failure.ToString(),
    };
}
