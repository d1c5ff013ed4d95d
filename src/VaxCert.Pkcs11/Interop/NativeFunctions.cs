using System.Runtime.InteropServices;

namespace VaxCert.Pkcs11.Interop;

/// <summary>
/// The raw PKCS#11 calls VaxCert makes, read from a module's CK_FUNCTION_LIST. Only C_GetFunctionList is resolved by name.
/// Each method returns the CK_RV; callers decide what is an error. CK_ULONG arguments pass as <c>nuint</c> (a 4-byte callee
/// reads the low half of the register); CK_ULONG out-parameters point at a zeroed 8-byte slot read back through the ABI.
/// </summary>
internal sealed unsafe class NativeFunctions
{
    private readonly nint[] _table = new nint[60];

    private NativeFunctions(Pkcs11Abi abi, nint functionList)
    {
        Abi = abi;
        foreach (var index in Enum.GetValues<FunctionIndex>())
            _table[(int)index] = Marshal.ReadIntPtr(functionList, abi.FunctionOffset((int)index));
        CryptokiVersion = (Marshal.ReadByte(functionList, 0), Marshal.ReadByte(functionList, 1));
    }

    public Pkcs11Abi Abi { get; }

    /// <summary>CK_VERSION at the start of the function list (major, minor).</summary>
    public (byte Major, byte Minor) CryptokiVersion { get; }

    /// <summary>Calls C_GetFunctionList from a loaded module and reads the table.</summary>
    public static NativeFunctions FromLibrary(nint library, Pkcs11Abi abi)
    {
        var getFunctionList = (delegate* unmanaged<nint*, nuint>)NativeLibrary.GetExport(library, "C_GetFunctionList");
        nint list = 0;
        var rv = (Ckr)abi.Truncate(getFunctionList(&list));
        if (rv != Ckr.OK || list == 0)
            throw new Pkcs11Exception("C_GetFunctionList", rv);
        return new NativeFunctions(abi, list);
    }

    private nint Fn(FunctionIndex index)
    {
        var f = _table[(int)index];
        return f != 0 ? f : throw new Pkcs11Exception(index.ToString(), Ckr.FUNCTION_NOT_SUPPORTED, "the module's function list has no entry");
    }

    private Ckr R(nuint rv) => (Ckr)Abi.Truncate(rv);

    private ulong Out(ulong slot) => Abi.Truncate((nuint)slot);

    public Ckr Initialize(InitializeFlags flags)
    {
        Span<byte> args = stackalloc byte[Abi.InitArgsSize];
        args.Clear();
        Abi.WriteULong(args, Abi.InitArgsFlagsOffset, (ulong)flags);
        fixed (byte* p = args)
            return R(((delegate* unmanaged<byte*, nuint>)Fn(FunctionIndex.C_Initialize))(p));
    }

    public Ckr Finalize() => R(((delegate* unmanaged<void*, nuint>)Fn(FunctionIndex.C_Finalize))(null));

    public Ckr GetSlotList(bool tokenPresent, out ulong[] slots)
    {
        var f = (delegate* unmanaged<byte, byte*, ulong*, nuint>)Fn(FunctionIndex.C_GetSlotList);
        slots = [];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            ulong count = 0;
            var rv = R(f(tokenPresent ? (byte)1 : (byte)0, null, &count));
            if (rv != Ckr.OK)
                return rv;
            var n = (int)Out(count);
            var buffer = new byte[Math.Max(n, 1) * Abi.ULongSize];
            count = (ulong)n;
            fixed (byte* p = buffer)
                rv = R(f(tokenPresent ? (byte)1 : (byte)0, p, &count));
            if (rv == Ckr.BUFFER_TOO_SMALL)
                continue; // a token arrived between the two calls
            if (rv != Ckr.OK)
                return rv;
            n = (int)Out(count);
            slots = new ulong[n];
            for (var i = 0; i < n; i++)
                slots[i] = Abi.ReadULong(buffer, i * Abi.ULongSize);
            return Ckr.OK;
        }
        return Ckr.BUFFER_TOO_SMALL;
    }

    public Ckr GetTokenInfo(ulong slot, Span<byte> info)
    {
        fixed (byte* p = info)
            return R(((delegate* unmanaged<nuint, byte*, nuint>)Fn(FunctionIndex.C_GetTokenInfo))((nuint)slot, p));
    }

    public Ckr InitToken(ulong slot, ReadOnlySpan<byte> soPin, ReadOnlySpan<byte> label32)
    {
        fixed (byte* pin = soPin)
        fixed (byte* label = label32)
            return R(((delegate* unmanaged<nuint, byte*, nuint, byte*, nuint>)Fn(FunctionIndex.C_InitToken))(
                (nuint)slot, pin, (nuint)soPin.Length, label));
    }

    public Ckr InitPin(ulong session, ReadOnlySpan<byte> pin)
    {
        fixed (byte* p = pin)
            return R(((delegate* unmanaged<nuint, byte*, nuint, nuint>)Fn(FunctionIndex.C_InitPIN))((nuint)session, p, (nuint)pin.Length));
    }

    public Ckr OpenSession(ulong slot, SessionFlags flags, out ulong session)
    {
        ulong h = 0;
        var rv = R(((delegate* unmanaged<nuint, nuint, void*, void*, ulong*, nuint>)Fn(FunctionIndex.C_OpenSession))(
            (nuint)slot, (nuint)(ulong)flags, null, null, &h));
        session = Out(h);
        return rv;
    }

    public Ckr CloseSession(ulong session)
        => R(((delegate* unmanaged<nuint, nuint>)Fn(FunctionIndex.C_CloseSession))((nuint)session));

    public Ckr CloseAllSessions(ulong slot)
        => R(((delegate* unmanaged<nuint, nuint>)Fn(FunctionIndex.C_CloseAllSessions))((nuint)slot));

    public Ckr GetSessionInfo(ulong session, out ulong slot, out SessionState state)
    {
        Span<byte> info = stackalloc byte[Abi.SessionInfoSize];
        info.Clear();
        Ckr rv;
        fixed (byte* p = info)
            rv = R(((delegate* unmanaged<nuint, byte*, nuint>)Fn(FunctionIndex.C_GetSessionInfo))((nuint)session, p));
        slot = Abi.ReadULong(info, 0);
        state = (SessionState)Abi.ReadULong(info, Abi.ULongSize);
        return rv;
    }

    public Ckr Login(ulong session, Cku user, ReadOnlySpan<byte> pin)
    {
        fixed (byte* p = pin)
            return R(((delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Fn(FunctionIndex.C_Login))(
                (nuint)session, (nuint)(ulong)user, p, (nuint)pin.Length));
    }

    public Ckr Logout(ulong session) => R(((delegate* unmanaged<nuint, nuint>)Fn(FunctionIndex.C_Logout))((nuint)session));

    public Ckr CreateObject(ulong session, NativeTemplate template, out ulong handle)
    {
        ulong h = 0;
        var rv = R(((delegate* unmanaged<nuint, byte*, nuint, ulong*, nuint>)Fn(FunctionIndex.C_CreateObject))(
            (nuint)session, template.Pointer, (nuint)template.Count, &h));
        handle = Out(h);
        return rv;
    }

    public Ckr DestroyObject(ulong session, ulong handle)
        => R(((delegate* unmanaged<nuint, nuint, nuint>)Fn(FunctionIndex.C_DestroyObject))((nuint)session, (nuint)handle));

    public Ckr GetAttributeValue(ulong session, ulong handle, NativeTemplate template)
        => R(((delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Fn(FunctionIndex.C_GetAttributeValue))(
            (nuint)session, (nuint)handle, template.Pointer, (nuint)template.Count));

    public Ckr FindObjectsInit(ulong session, NativeTemplate template)
        => R(((delegate* unmanaged<nuint, byte*, nuint, nuint>)Fn(FunctionIndex.C_FindObjectsInit))(
            (nuint)session, template.Pointer, (nuint)template.Count));

    public Ckr FindObjects(ulong session, int max, out ulong[] handles)
    {
        var buffer = new byte[max * Abi.ULongSize];
        ulong found = 0;
        Ckr rv;
        fixed (byte* p = buffer)
            rv = R(((delegate* unmanaged<nuint, byte*, nuint, ulong*, nuint>)Fn(FunctionIndex.C_FindObjects))(
                (nuint)session, p, (nuint)max, &found));
        var n = (int)Math.Min(Out(found), (ulong)max);
        handles = new ulong[rv == Ckr.OK ? n : 0];
        for (var i = 0; i < handles.Length; i++)
            handles[i] = Abi.ReadULong(buffer, i * Abi.ULongSize);
        return rv;
    }

    public Ckr FindObjectsFinal(ulong session)
        => R(((delegate* unmanaged<nuint, nuint>)Fn(FunctionIndex.C_FindObjectsFinal))((nuint)session));

    public Ckr SignInit(ulong session, NativeMechanism mechanism, ulong key)
        => R(((delegate* unmanaged<nuint, byte*, nuint, nuint>)Fn(FunctionIndex.C_SignInit))((nuint)session, mechanism.Pointer, (nuint)key));

    public Ckr Sign(ulong session, ReadOnlySpan<byte> data, Span<byte> signature, out int signatureLength)
    {
        ulong len = (ulong)signature.Length;
        Ckr rv;
        fixed (byte* d = data)
        fixed (byte* s = signature)
            rv = R(((delegate* unmanaged<nuint, byte*, nuint, byte*, ulong*, nuint>)Fn(FunctionIndex.C_Sign))(
                (nuint)session, d, (nuint)data.Length, s, &len));
        signatureLength = (int)Math.Min(Out(len), int.MaxValue);
        return rv;
    }

    public Ckr GenerateKeyPair(ulong session, NativeMechanism mechanism, NativeTemplate publicTemplate,
        NativeTemplate privateTemplate, out ulong publicKey, out ulong privateKey)
    {
        ulong pub = 0, priv = 0;
        var rv = R(((delegate* unmanaged<nuint, byte*, byte*, nuint, byte*, nuint, ulong*, ulong*, nuint>)Fn(FunctionIndex.C_GenerateKeyPair))(
            (nuint)session, mechanism.Pointer, publicTemplate.Pointer, (nuint)publicTemplate.Count,
            privateTemplate.Pointer, (nuint)privateTemplate.Count, &pub, &priv));
        publicKey = Out(pub);
        privateKey = Out(priv);
        return rv;
    }
}
