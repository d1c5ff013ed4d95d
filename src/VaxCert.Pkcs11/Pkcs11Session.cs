using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11;

/// <summary>
/// One PKCS#11 session. A session runs one operation at a time, so an instance must only be used by one thread at a time
/// (the signer's pool leases sessions). Dispose closes it.
/// </summary>
public sealed class Pkcs11Session : IDisposable
{
    private readonly Pkcs11Module _module;
    private int _closed;

    internal Pkcs11Session(Pkcs11Module module, ulong slotId, ulong handle)
    {
        _module = module;
        SlotId = slotId;
        Handle = handle;
    }

    /// <summary>The slot the session was opened on.</summary>
    public ulong SlotId { get; }

    /// <summary>The CK_SESSION_HANDLE.</summary>
    public ulong Handle { get; }

    private NativeFunctions F => _module.Functions;
    private Pkcs11Abi Abi => _module.Abi;

    /// <summary>
    /// C_Login with a PIN given as bytes; the caller zeroes them afterwards. CKR_USER_ALREADY_LOGGED_IN counts as success
    /// because login state is per process and token, not per session.
    /// </summary>
    public void Login(Cku user, ReadOnlySpan<byte> pin)
    {
        var rv = F.Login(Handle, user, pin);
        if (rv is not (Ckr.OK or Ckr.USER_ALREADY_LOGGED_IN))
            throw new Pkcs11Exception("C_Login", rv);
    }

    /// <summary>C_Logout (logs out every session of this process on the token).</summary>
    public void Logout() => _module.Check("C_Logout", F.Logout(Handle));

    /// <summary>C_InitPIN: sets the user PIN; needs an SO login on a read-write session.</summary>
    public void InitUserPin(ReadOnlySpan<byte> pin) => _module.Check("C_InitPIN", F.InitPin(Handle, pin));

    /// <summary>C_GetSessionInfo: the cheap health probe. Throws when the session is gone.</summary>
    public SessionState GetState()
    {
        _module.Check("C_GetSessionInfo", F.GetSessionInfo(Handle, out _, out var state));
        return state;
    }

    /// <summary>Handles of objects matching <paramref name="template"/>, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<ulong> FindObjects(IReadOnlyList<Pkcs11Attribute> template, int max = 16)
    {
        using var native = NativeTemplate.ForWrite(Abi, template);
        _module.Check("C_FindObjectsInit", F.FindObjectsInit(Handle, native));
        try
        {
            _module.Check("C_FindObjects", F.FindObjects(Handle, max, out var handles));
            return handles;
        }
        finally
        {
            // The search is an active operation on the session: always end it.
            F.FindObjectsFinal(Handle);
        }
    }

    /// <summary>
    /// Reads attribute values (two-call pattern). An attribute the token does not have or will not reveal comes back null;
    /// the other values are still returned.
    /// </summary>
    public byte[]?[] GetAttributes(ulong objectHandle, params Cka[] types)
    {
        int[] lengths;
        using (var sizing = NativeTemplate.ForRead(Abi, types, new int[types.Length]))
        {
            var rv = F.GetAttributeValue(Handle, objectHandle, sizing);
            if (rv is not (Ckr.OK or Ckr.ATTRIBUTE_SENSITIVE or Ckr.ATTRIBUTE_TYPE_INVALID))
                throw new Pkcs11Exception("C_GetAttributeValue", rv);
            lengths = Enumerable.Range(0, types.Length).Select(i => sizing.LengthAt(i) ?? -1).ToArray();
        }
        var result = new byte[]?[types.Length];
        var wanted = Enumerable.Range(0, types.Length).Where(i => lengths[i] >= 0).ToArray();
        if (wanted.Length == 0)
            return result;
        using var reading = NativeTemplate.ForRead(Abi, wanted.Select(i => types[i]).ToArray(), wanted.Select(i => lengths[i]).ToArray());
        _module.Check("C_GetAttributeValue", F.GetAttributeValue(Handle, objectHandle, reading));
        for (var j = 0; j < wanted.Length; j++)
            result[wanted[j]] = reading.ValueAt(j);
        return result;
    }

    /// <summary>One attribute value, or null when absent or sensitive.</summary>
    public byte[]? GetAttribute(ulong objectHandle, Cka type) => GetAttributes(objectHandle, type)[0];

    /// <summary>A CK_ULONG attribute, or null when absent.</summary>
    public ulong? GetULongAttribute(ulong objectHandle, Cka type)
        => GetAttribute(objectHandle, type) is { } v && v.Length == Abi.ULongSize ? Abi.ReadULong(v, 0) : null;

    /// <summary>C_SignInit + C_Sign with a buffer of <paramref name="maxSignatureLength"/> bytes.</summary>
    public byte[] Sign(Pkcs11Mechanism mechanism, ulong key, ReadOnlySpan<byte> input, int maxSignatureLength)
    {
        using (var native = mechanism.ToNative(Abi))
            _module.Check("C_SignInit", F.SignInit(Handle, native, key));
        var signature = new byte[maxSignatureLength];
        _module.Check("C_Sign", F.Sign(Handle, input, signature, out var length));
        return length == signature.Length ? signature : signature[..length];
    }

    /// <summary>C_GenerateKeyPair; returns (public key handle, private key handle).</summary>
    public (ulong PublicKey, ulong PrivateKey) GenerateKeyPair(Pkcs11Mechanism mechanism,
        IReadOnlyList<Pkcs11Attribute> publicTemplate, IReadOnlyList<Pkcs11Attribute> privateTemplate)
    {
        using var mech = mechanism.ToNative(Abi);
        using var pub = NativeTemplate.ForWrite(Abi, publicTemplate);
        using var priv = NativeTemplate.ForWrite(Abi, privateTemplate);
        _module.Check("C_GenerateKeyPair", F.GenerateKeyPair(Handle, mech, pub, priv, out var hPub, out var hPriv));
        return (hPub, hPriv);
    }

    /// <summary>C_CreateObject (used to import certificates).</summary>
    public ulong CreateObject(IReadOnlyList<Pkcs11Attribute> template)
    {
        using var native = NativeTemplate.ForWrite(Abi, template);
        _module.Check("C_CreateObject", F.CreateObject(Handle, native, out var handle));
        return handle;
    }

    /// <summary>C_DestroyObject.</summary>
    public void DestroyObject(ulong objectHandle) => _module.Check("C_DestroyObject", F.DestroyObject(Handle, objectHandle));

    /// <summary>Closes the session; errors are ignored because the session may already be gone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
            F.CloseSession(Handle);
    }
}

/// <summary>A signing or key-generation mechanism with its (ABI-encoded) parameter.</summary>
public sealed record Pkcs11Mechanism(Ckm Type, Func<Pkcs11Abi, byte[]>? Parameter = null)
{
    /// <summary>CKM_ECDSA over a host-computed hash; output is raw r‖s.</summary>
    public static Pkcs11Mechanism Ecdsa { get; } = new(Ckm.ECDSA);

    /// <summary>CKM_RSA_PKCS_PSS over a host-computed SHA-256 hash, MGF1-SHA-256, 32-byte salt.</summary>
    public static Pkcs11Mechanism RsaPssSha256 { get; } = new(Ckm.RSA_PKCS_PSS, NativeMechanism.PssSha256Parameters);

    internal NativeMechanism ToNative(Pkcs11Abi abi)
        => Parameter is null ? NativeMechanism.Create(abi, Type) : NativeMechanism.WithParameter(abi, Type, Parameter(abi));
}
