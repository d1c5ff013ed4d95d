using System.Runtime.InteropServices;

namespace VaxCert.Pkcs11.Interop;

/// <summary>A CK_MECHANISM (plus its parameter block, if any) in native memory for the duration of a call.</summary>
internal sealed unsafe class NativeMechanism : IDisposable
{
    private byte* _block;

    private NativeMechanism(Pkcs11Abi abi, Ckm mechanism, ReadOnlySpan<byte> parameter)
    {
        var size = abi.MechanismSize + parameter.Length;
        _block = (byte*)NativeMemory.AllocZeroed((nuint)size);
        var span = new Span<byte>(_block, size);
        abi.WriteULong(span, 0, (ulong)mechanism);
        if (parameter.Length > 0)
        {
            parameter.CopyTo(span[abi.MechanismSize..]);
            Pkcs11Abi.WritePointer(span, abi.PairPointerOffset, (nint)(_block + abi.MechanismSize));
        }
        abi.WriteULong(span, abi.PairLengthOffset, (ulong)parameter.Length);
    }

    /// <summary>Pointer to the CK_MECHANISM.</summary>
    public byte* Pointer => _block;

    /// <summary>A mechanism without parameters.</summary>
    public static NativeMechanism Create(Pkcs11Abi abi, Ckm mechanism) => new(abi, mechanism, []);

    /// <summary>A mechanism whose parameter block is already encoded for the ABI.</summary>
    public static NativeMechanism WithParameter(Pkcs11Abi abi, Ckm mechanism, ReadOnlySpan<byte> parameter) => new(abi, mechanism, parameter);

    /// <summary>CK_RSA_PKCS_PSS_PARAMS { CKM_SHA256, CKG_MGF1_SHA256, 32 } in the ABI's layout.</summary>
    public static byte[] PssSha256Parameters(Pkcs11Abi abi)
    {
        var p = new byte[abi.PssParamsSize];
        abi.WriteULong(p, 0, (ulong)Ckm.SHA256);
        abi.WriteULong(p, abi.ULongSize, (ulong)Ckg.MGF1_SHA256);
        abi.WriteULong(p, 2 * abi.ULongSize, 32);
        return p;
    }

    public void Dispose()
    {
        if (_block is null)
            return;
        NativeMemory.Free(_block);
        _block = null;
    }
}
