using System.Runtime.InteropServices;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11.Tests;

/// <summary>Expected sizes and offsets come from docs/pkcs11-notes.md (offsetof against p11-kit's header), not from the code.</summary>
public class AbiLayoutTests
{
    [Theory]
    [InlineData("unix", 8, 8, 16, 24, 24, 24, 32, 40, 48, 8)]
    [InlineData("windows", 4, 4, 12, 16, 16, 12, 32, 36, 44, 2)]
    public void Struct_sizes_and_offsets_match_the_C_headers(string abiName, int ulongSize, int valuePtr, int valueLen,
        int attribute, int mechanism, int pss, int initFlags, int initReserved, int initArgs, int firstFunction)
    {
        var abi = abiName == "unix" ? Pkcs11Abi.Unix64 : Pkcs11Abi.Windows64;
        Assert.Equal(ulongSize, abi.ULongSize);
        Assert.Equal(valuePtr, abi.PairPointerOffset);
        Assert.Equal(valueLen, abi.PairLengthOffset);
        Assert.Equal(attribute, abi.AttributeSize);
        Assert.Equal(mechanism, abi.MechanismSize);
        Assert.Equal(pss, abi.PssParamsSize);
        Assert.Equal(initFlags, abi.InitArgsFlagsOffset);
        Assert.Equal(initReserved, abi.InitArgsReservedOffset);
        Assert.Equal(initArgs, abi.InitArgsSize);
        Assert.Equal(firstFunction, abi.FunctionListFirstOffset);
    }

    [Theory]
    [InlineData(0, 8, 2)] [InlineData(1, 16, 10)] [InlineData(4, 40, 34)] [InlineData(6, 56, 50)] [InlineData(12, 104, 98)]
    [InlineData(13, 112, 106)] [InlineData(15, 128, 122)] [InlineData(18, 152, 146)] [InlineData(19, 160, 154)]
    [InlineData(24, 200, 194)] [InlineData(26, 216, 210)] [InlineData(27, 224, 218)] [InlineData(28, 232, 226)]
    [InlineData(42, 344, 338)] [InlineData(43, 352, 346)] [InlineData(59, 480, 474)]
    public void Function_list_offsets_match_the_notes(int index, int unixOffset, int windowsOffset)
    {
        Assert.Equal(unixOffset, Pkcs11Abi.Unix64.FunctionOffset(index));
        Assert.Equal(windowsOffset, Pkcs11Abi.Windows64.FunctionOffset(index));
    }

    [Fact]
    public void Function_indexes_follow_the_spec_header_order()
    {
        Assert.Equal(0, (int)FunctionIndex.C_Initialize);
        Assert.Equal(14, (int)FunctionIndex.C_CloseAllSessions);
        Assert.Equal(20, (int)FunctionIndex.C_CreateObject);
        Assert.Equal(43, (int)FunctionIndex.C_Sign);
        Assert.Equal(59, (int)FunctionIndex.C_GenerateKeyPair);
    }

    [Fact]
    public void Token_info_layout_unix_is_208_bytes_with_flags_at_96()
    {
        var layout = Pkcs11Abi.Unix64.TokenInfo;
        Assert.Equal(96, layout.Flags);
        Assert.Equal(104, layout.MaxSessionCount);
        Assert.Equal(184, layout.HardwareVersion);
        Assert.Equal(208, layout.Size);
    }

    [Fact]
    public void Token_info_layout_windows_is_packed_with_4_byte_ulongs()
    {
        // 96 chars + flags 4 + 10 ulongs * 4 + 2 versions * 2 + utcTime 16 = 160, no padding under pack(1).
        var layout = Pkcs11Abi.Windows64.TokenInfo;
        Assert.Equal(96, layout.Flags);
        Assert.Equal(100, layout.MaxSessionCount);
        Assert.Equal(140, layout.HardwareVersion);
        Assert.Equal(160, layout.Size);
    }

    [Fact]
    public void Running_process_uses_the_unix_layout_on_linux()
    {
        Assert.True(OperatingSystem.IsLinux(), "these tests target Linux x64");
        Assert.Same(Pkcs11Abi.Unix64, Pkcs11Abi.Current);
        Assert.Equal(8, nuint.Size);
    }

    [Fact]
    public void Pss_parameters_are_encoded_per_abi()
    {
        Assert.Equal(Convert.FromHexString("500200000200000020000000"), NativeMechanism.PssSha256Parameters(Pkcs11Abi.Windows64));
        Assert.Equal(Convert.FromHexString("5002000000000000" + "0200000000000000" + "2000000000000000"),
            NativeMechanism.PssSha256Parameters(Pkcs11Abi.Unix64));
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("windows")]
    public unsafe void Attribute_template_is_written_at_abi_offsets(string abiName)
    {
        var abi = abiName == "unix" ? Pkcs11Abi.Unix64 : Pkcs11Abi.Windows64;
        using var template = NativeTemplate.ForWrite(abi,
            [Pkcs11Attribute.Class(Cko.PRIVATE_KEY), Pkcs11Attribute.Of(Cka.SIGN, true), Pkcs11Attribute.Of(Cka.ID, new byte[] { 0xAB, 0xCD })]);
        var raw = new ReadOnlySpan<byte>(template.Pointer, 3 * abi.AttributeSize);
        int u = abi.ULongSize, size = abi.AttributeSize;
        // Attribute 0: CKA_CLASS, value is a CK_ULONG holding CKO_PRIVATE_KEY.
        Assert.Equal(0UL, Read(raw, 0, u));
        Assert.Equal((ulong)u, Read(raw, abi.PairLengthOffset, u));
        var classValue = (byte*)ReadPointer(raw, abi.PairPointerOffset);
        Assert.Equal(3UL, Read(new ReadOnlySpan<byte>(classValue, u), 0, u));
        // Attribute 1: CKA_SIGN, a 1-byte CK_BBOOL.
        Assert.Equal(0x108UL, Read(raw, size, u));
        Assert.Equal(1UL, Read(raw, size + abi.PairLengthOffset, u));
        Assert.Equal(1, *(byte*)ReadPointer(raw, size + abi.PairPointerOffset));
        // Attribute 2: CKA_ID bytes.
        Assert.Equal(0x102UL, Read(raw, 2 * size, u));
        Assert.Equal(2UL, Read(raw, 2 * size + abi.PairLengthOffset, u));
        Assert.Equal([0xAB, 0xCD], new ReadOnlySpan<byte>((byte*)ReadPointer(raw, 2 * size + abi.PairPointerOffset), 2).ToArray());
    }

    [Fact]
    public void Unavailable_information_is_all_bits_of_a_ck_ulong()
    {
        Assert.Equal(ulong.MaxValue, Pkcs11Abi.Unix64.UnavailableInformation);
        Assert.Equal(0xFFFF_FFFFUL, Pkcs11Abi.Windows64.UnavailableInformation);
        Assert.Equal(0x12UL, Pkcs11Abi.Windows64.Truncate(unchecked((nuint)0xDEAD_BEEF_0000_0012UL)));
    }

    private static ulong Read(ReadOnlySpan<byte> raw, int offset, int size)
        => size == 8 ? MemoryMarshal.Read<ulong>(raw[offset..]) : MemoryMarshal.Read<uint>(raw[offset..]);

    private static nint ReadPointer(ReadOnlySpan<byte> raw, int offset) => MemoryMarshal.Read<nint>(raw[offset..]);
}
