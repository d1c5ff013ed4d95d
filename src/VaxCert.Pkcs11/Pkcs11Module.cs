using System.Runtime.InteropServices;
using VaxCert.Pkcs11.Interop;

namespace VaxCert.Pkcs11;

/// <summary>
/// A loaded PKCS#11 module (e.g. libsofthsm2.so). C_Initialize runs once per module per process with CKF_OS_LOCKING_OK,
/// so instances for the same path share one loaded library; the last one disposed calls C_Finalize and unloads it.
/// </summary>
public sealed class Pkcs11Module : IDisposable
{
    /// <summary>The module used when none is configured.</summary>
    public const string DefaultModulePath = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>Environment variable that overrides <see cref="DefaultModulePath"/>.</summary>
    public const string ModulePathVariable = "VAXCERT_PKCS11_MODULE";

    private static readonly Dictionary<string, LoadedLibrary> Loaded = new(StringComparer.Ordinal);
    private readonly LoadedLibrary _library;
    private int _disposed;

    private Pkcs11Module(LoadedLibrary library) => _library = library;

    /// <summary>The configured module path: <paramref name="explicitPath"/>, else VAXCERT_PKCS11_MODULE, else the SoftHSM2 default.</summary>
    public static string ResolvePath(string? explicitPath)
        => !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(ModulePathVariable) is { Length: > 0 } env ? env
            : DefaultModulePath;

    /// <summary>Loads (or shares) the module at <paramref name="path"/> and makes sure it is initialised.</summary>
    public static Pkcs11Module Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"PKCS#11 module not found: {full}", full);
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(full, out var library))
            {
                library = new LoadedLibrary(full);
                Loaded[full] = library;
            }
            library.References++;
            return new Pkcs11Module(library);
        }
    }

    /// <summary>Full path of the module file.</summary>
    public string Path => _library.Path;

    /// <summary>The structure layout used with this module.</summary>
    public Pkcs11Abi Abi => Functions.Abi;

    internal NativeFunctions Functions => _library.Functions;

    /// <summary>Slots, by default only those with a token present.</summary>
    public IReadOnlyList<ulong> GetSlots(bool tokenPresent = true)
    {
        Check("C_GetSlotList", Functions.GetSlotList(tokenPresent, out var slots));
        return slots;
    }

    /// <summary>The token in <paramref name="slotId"/>.</summary>
    public TokenInfo GetTokenInfo(ulong slotId)
    {
        var raw = new byte[Abi.TokenInfo.Size];
        Check("C_GetTokenInfo", Functions.GetTokenInfo(slotId, raw));
        return TokenInfo.Parse(Abi, slotId, raw);
    }

    /// <summary>Every present token.</summary>
    public IReadOnlyList<TokenInfo> GetTokens() => GetSlots().Select(GetTokenInfo).ToList();

    /// <summary>The one present, initialised token matching <paramref name="selector"/>.</summary>
    /// <exception cref="Pkcs11LookupException">No token or several tokens match.</exception>
    public TokenInfo FindToken(TokenSelector selector)
    {
        var matches = GetTokens().Where(t => t.IsInitialized && selector.Matches(t)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new Pkcs11LookupException(LookupFailure.TokenNotFound, $"No token with {selector} is present in {Path}."),
            _ => throw new Pkcs11LookupException(LookupFailure.TokenAmbiguous, $"{matches.Count} tokens match {selector}; add the serial number."),
        };
    }

    /// <summary>Opens a serial session on <paramref name="slotId"/>.</summary>
    public Pkcs11Session OpenSession(ulong slotId, bool readWrite = false)
    {
        var flags = SessionFlags.Serial | (readWrite ? SessionFlags.ReadWrite : SessionFlags.None);
        Check("C_OpenSession", Functions.OpenSession(slotId, flags, out var handle));
        return new Pkcs11Session(this, slotId, handle);
    }

    /// <summary>Closes every session this process has on <paramref name="slotId"/> (this also logs the token out).</summary>
    public void CloseAllSessions(ulong slotId) => Check("C_CloseAllSessions", Functions.CloseAllSessions(slotId));

    /// <summary>
    /// Initialises the token in an uninitialised slot with a label and SO PIN (C_InitToken). Used for SoftHSM dev tokens;
    /// the PIN travels as bytes and never as text or a process argument.
    /// </summary>
    public void InitializeToken(ulong slotId, ReadOnlySpan<byte> soPin, string label)
        => Check("C_InitToken", Functions.InitToken(slotId, soPin, PaddedText.Encode(label, 32)));

    /// <summary>
    /// C_Finalize then C_Initialize: the last-resort recovery. It ends every session of every component in this process
    /// that uses the module, so only a signer that already lost its sessions calls it.
    /// </summary>
    public void Reinitialize() => _library.Reinitialize();

    /// <summary>C_Initialize again if someone finalised the module (CKR_CRYPTOKI_NOT_INITIALIZED seen).</summary>
    public void EnsureInitialized() => _library.Initialize();

    /// <summary>C_Finalize without re-initialising, as another component in the process might do. For recovery tests.</summary>
    public void FinalizeForTesting() => _library.FinalizeOnly();

    internal void Check(string function, Ckr result)
    {
        if (result != Ckr.OK)
            throw new Pkcs11Exception(function, result);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        lock (Loaded)
        {
            if (--_library.References > 0)
                return;
            Loaded.Remove(_library.Path);
            _library.Unload();
        }
    }

    /// <summary>One dlopen'ed module and its function table, shared by every <see cref="Pkcs11Module"/> for the path.</summary>
    private sealed class LoadedLibrary
    {
        private readonly nint _handle;
        private readonly object _initLock = new();

        public LoadedLibrary(string path)
        {
            Path = path;
            _handle = NativeLibrary.Load(path);
            try
            {
                Functions = NativeFunctions.FromLibrary(_handle, Pkcs11Abi.Current);
                Initialize();
            }
            catch
            {
                NativeLibrary.Free(_handle);
                throw;
            }
        }

        public string Path { get; }
        public NativeFunctions Functions { get; }
        public int References { get; set; }

        public void Initialize()
        {
            lock (_initLock)
            {
                var rv = Functions.Initialize(InitializeFlags.OsLockingOk);
                // Another component in the process may have initialised the module already; that is fine.
                if (rv is not (Ckr.OK or Ckr.CRYPTOKI_ALREADY_INITIALIZED))
                    throw new Pkcs11Exception("C_Initialize", rv);
            }
        }

        public void FinalizeOnly()
        {
            lock (_initLock)
                Functions.Finalize();
        }

        public void Reinitialize()
        {
            lock (_initLock)
            {
                Functions.Finalize(); // NOT_INITIALIZED is fine: the goal is a fresh state
                Initialize();
            }
        }

        public void Unload()
        {
            Functions.Finalize();
            NativeLibrary.Free(_handle);
        }
    }
}
