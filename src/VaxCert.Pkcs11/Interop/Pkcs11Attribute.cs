using System.Text;

namespace VaxCert.Pkcs11.Interop;

/// <summary>
/// One CK_ATTRIBUTE as a managed value. Numbers are kept as numbers and written at the ABI's CK_ULONG width only when the
/// attribute goes into a native buffer.
/// </summary>
public readonly record struct Pkcs11Attribute(Cka Type, byte[]? Bytes, ulong? Number)
{
    /// <summary>A byte-string attribute (CKA_ID, CKA_VALUE, CKA_EC_PARAMS, ...).</summary>
    public static Pkcs11Attribute Of(Cka type, byte[] value) => new(type, value, null);

    /// <summary>A UTF-8 string attribute (CKA_LABEL).</summary>
    public static Pkcs11Attribute Of(Cka type, string value) => new(type, Encoding.UTF8.GetBytes(value), null);

    /// <summary>A CK_BBOOL attribute: one byte.</summary>
    public static Pkcs11Attribute Of(Cka type, bool value) => new(type, [value ? (byte)1 : (byte)0], null);

    /// <summary>A CK_ULONG attribute (CKA_CLASS, CKA_KEY_TYPE, CKA_MODULUS_BITS, ...).</summary>
    public static Pkcs11Attribute Of(Cka type, ulong value) => new(type, null, value);

    /// <summary>CKA_CLASS.</summary>
    public static Pkcs11Attribute Class(Cko value) => Of(Cka.CLASS, (ulong)value);

    /// <summary>Length of the value in the given ABI.</summary>
    public int Length(Pkcs11Abi abi) => Bytes?.Length ?? abi.ULongSize;

    /// <summary>Writes the value bytes in the given ABI.</summary>
    public void WriteValue(Pkcs11Abi abi, Span<byte> destination)
    {
        if (Bytes is not null)
            Bytes.CopyTo(destination);
        else
            abi.WriteULong(destination, 0, Number!.Value);
    }
}
