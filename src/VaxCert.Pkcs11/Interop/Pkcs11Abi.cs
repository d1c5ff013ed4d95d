using System.Buffers.Binary;

namespace VaxCert.Pkcs11.Interop;

/// <summary>
/// The one place that knows how PKCS#11 structures are laid out in memory. Linux/macOS x64 use an 8-byte CK_ULONG with
/// natural alignment; Windows x64 uses a 4-byte CK_ULONG with <c>#pragma pack(1)</c>. Everything the binding passes to a
/// module is written into byte buffers at the offsets computed here, so there is a single struct definition per platform.
/// </summary>
public sealed class Pkcs11Abi
{
    private Pkcs11Abi(string name, int ulongSize, bool packed)
    {
        Name = name;
        ULongSize = ulongSize;
        Packed = packed;
    }

    /// <summary>Linux and macOS x64: CK_ULONG is 8 bytes, structs naturally aligned.</summary>
    public static Pkcs11Abi Unix64 { get; } = new("unix-x64", 8, packed: false);

    /// <summary>Windows x64: CK_ULONG is 4 bytes (LLP64), structs packed to 1 byte as the spec requires.</summary>
    public static Pkcs11Abi Windows64 { get; } = new("windows-x64", 4, packed: true);

    /// <summary>The ABI of the running process.</summary>
    public static Pkcs11Abi Current => OperatingSystem.IsWindows() ? Windows64 : Unix64;

    /// <summary>Short name used in diagnostics.</summary>
    public string Name { get; }

    /// <summary>sizeof(CK_ULONG): 8 on Unix x64, 4 on Windows x64.</summary>
    public int ULongSize { get; }

    /// <summary>True when structs are packed to 1 byte (Windows).</summary>
    public bool Packed { get; }

    /// <summary>Pointer size; both supported ABIs are 64-bit.</summary>
    public int PointerSize => 8;

    /// <summary>The value a module writes into ulValueLen when an attribute is unavailable (all bits set).</summary>
    public ulong UnavailableInformation => ULongSize == 8 ? ulong.MaxValue : uint.MaxValue;

    // CK_ATTRIBUTE { CK_ULONG type; void* pValue; CK_ULONG ulValueLen; } and CK_MECHANISM has the same shape.
    /// <summary>Offset of pValue / pParameter in CK_ATTRIBUTE and CK_MECHANISM.</summary>
    public int PairPointerOffset => Align(ULongSize, PointerSize);
    /// <summary>Offset of ulValueLen / ulParameterLen in CK_ATTRIBUTE and CK_MECHANISM.</summary>
    public int PairLengthOffset => PairPointerOffset + PointerSize;
    /// <summary>sizeof(CK_ATTRIBUTE).</summary>
    public int AttributeSize => Align(PairLengthOffset + ULongSize, Packed ? 1 : PointerSize);
    /// <summary>sizeof(CK_MECHANISM); same layout as CK_ATTRIBUTE.</summary>
    public int MechanismSize => AttributeSize;

    /// <summary>sizeof(CK_RSA_PKCS_PSS_PARAMS { hashAlg; mgf; sLen }): three CK_ULONGs.</summary>
    public int PssParamsSize => 3 * ULongSize;

    // CK_C_INITIALIZE_ARGS { 4 function pointers; CK_FLAGS flags; void* pReserved; }
    /// <summary>Offset of flags in CK_C_INITIALIZE_ARGS.</summary>
    public int InitArgsFlagsOffset => 4 * PointerSize;
    /// <summary>Offset of pReserved in CK_C_INITIALIZE_ARGS.</summary>
    public int InitArgsReservedOffset => Align(InitArgsFlagsOffset + ULongSize, PointerSize);
    /// <summary>sizeof(CK_C_INITIALIZE_ARGS).</summary>
    public int InitArgsSize => InitArgsReservedOffset + PointerSize;

    /// <summary>Offset of the first function pointer in CK_FUNCTION_LIST (after the 2-byte CK_VERSION).</summary>
    public int FunctionListFirstOffset => Align(2, PointerSize);

    /// <summary>Offset of the function pointer at <paramref name="index"/> (spec header order) in CK_FUNCTION_LIST.</summary>
    public int FunctionOffset(int index) => FunctionListFirstOffset + index * PointerSize;

    /// <summary>Layout of CK_TOKEN_INFO for this ABI.</summary>
    public TokenInfoLayout TokenInfo => new(this);

    /// <summary>Layout of CK_SESSION_INFO { slotID; state; flags; ulDeviceError; } : four CK_ULONGs.</summary>
    public int SessionInfoSize => 4 * ULongSize;

    /// <summary>Rounds <paramref name="offset"/> up to the alignment of a member of <paramref name="size"/> bytes.</summary>
    public int Align(int offset, int size) => Packed ? offset : (offset + size - 1) / size * size;

    /// <summary>Writes a CK_ULONG at <paramref name="offset"/>.</summary>
    public void WriteULong(Span<byte> buffer, int offset, ulong value)
    {
        if (ULongSize == 8)
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[offset..], value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[offset..], checked((uint)value));
    }

    /// <summary>Reads a CK_ULONG at <paramref name="offset"/>.</summary>
    public ulong ReadULong(ReadOnlySpan<byte> buffer, int offset)
        => ULongSize == 8
            ? BinaryPrimitives.ReadUInt64LittleEndian(buffer[offset..])
            : BinaryPrimitives.ReadUInt32LittleEndian(buffer[offset..]);

    /// <summary>Writes a pointer at <paramref name="offset"/>.</summary>
    public static void WritePointer(Span<byte> buffer, int offset, nint value)
        => BinaryPrimitives.WriteInt64LittleEndian(buffer[offset..], value);

    /// <summary>Keeps only the bits of a CK_ULONG; a 4-byte return value may arrive with undefined upper bits.</summary>
    public ulong Truncate(nuint value) => ULongSize == 8 ? value : (uint)value;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Field offsets of CK_TOKEN_INFO: four char arrays, then CK_FLAGS, ten CK_ULONGs, two CK_VERSIONs, utcTime[16].</summary>
public readonly struct TokenInfoLayout
{
    private readonly Pkcs11Abi _abi;

    internal TokenInfoLayout(Pkcs11Abi abi) => _abi = abi;

    /// <summary>label[32] (space padded).</summary>
    public int Label => 0;
    /// <summary>manufacturerID[32].</summary>
    public int Manufacturer => 32;
    /// <summary>model[16].</summary>
    public int Model => 64;
    /// <summary>serialNumber[16].</summary>
    public int SerialNumber => 80;
    /// <summary>CK_FLAGS flags, after 96 bytes of chars.</summary>
    public int Flags => _abi.Align(96, _abi.ULongSize);
    /// <summary>The n-th CK_ULONG after flags (0 = ulMaxSessionCount ... 9 = ulFreePrivateMemory).</summary>
    public int ULongField(int n) => Flags + (1 + n) * _abi.ULongSize;
    /// <summary>ulMaxSessionCount.</summary>
    public int MaxSessionCount => ULongField(0);
    /// <summary>ulSessionCount.</summary>
    public int SessionCount => ULongField(1);
    /// <summary>ulMaxRwSessionCount.</summary>
    public int MaxRwSessionCount => ULongField(2);
    /// <summary>hardwareVersion, firmwareVersion (2 bytes each), then utcTime[16].</summary>
    public int HardwareVersion => ULongField(10);
    /// <summary>utcTime[16].</summary>
    public int UtcTime => HardwareVersion + 4;
    /// <summary>sizeof(CK_TOKEN_INFO).</summary>
    public int Size => _abi.Align(UtcTime + 16, _abi.ULongSize);
}
