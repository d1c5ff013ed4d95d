using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11;

/// <summary>
/// A reference to a loaded PKCS#11 module (e.g. libsofthsm2.so) through Pkcs11Interop. Pkcs11Interop initialises on load
/// and calls C_Finalize for the WHOLE process on dispose, so VaxCert keeps one loaded library per module path, shared by
/// every <see cref="Pkcs11Module"/> for that path with a reference count: only the last dispose finalises and unloads it.
/// If someone else finalised the module (CKR_CRYPTOKI_NOT_INITIALIZED), <see cref="EnsureInitialized"/> loads a fresh
/// library instance in its place; sessions of the old instance then throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class Pkcs11Module : IDisposable
{
    /// <summary>The module used when none is configured.</summary>
    public const string DefaultModulePath = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>Environment variable that overrides <see cref="DefaultModulePath"/>.</summary>
    public const string ModulePathVariable = "VAXCERT_PKCS11_MODULE";

    private static readonly Dictionary<string, SharedLibrary> Loaded = new(StringComparer.Ordinal);
    private readonly SharedLibrary _shared;
    private int _disposed;

    private Pkcs11Module(SharedLibrary shared) => _shared = shared;

    /// <summary>The configured module path: <paramref name="explicitPath"/>, else VAXCERT_PKCS11_MODULE, else the SoftHSM2 default.</summary>
    public static string ResolvePath(string? explicitPath)
        => !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(ModulePathVariable) is { Length: > 0 } env ? env
            : DefaultModulePath;

    /// <summary>Loads (or shares) the module at <paramref name="path"/>; it is initialised with CKF_OS_LOCKING_OK.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="Pkcs11Exception">C_Initialize failed.</exception>
    /// <exception cref="UnmanagedException">The file is not a loadable PKCS#11 module.</exception>
    public static Pkcs11Module Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"PKCS#11 module not found: {full}", full);
        Pkcs11InteropRuntime.EnsureNativeResolver();
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(full, out var shared))
            {
                shared = new SharedLibrary(full);
                Loaded[full] = shared;
            }
            shared.References++;
            return new Pkcs11Module(shared);
        }
    }

    /// <summary>Full path of the module file.</summary>
    public string Path => _shared.Path;

    /// <summary>The Pkcs11Interop factories (attributes, mechanisms, object handles).</summary>
    public static Pkcs11InteropFactories Factories => Pkcs11InteropRuntime.Factories;

    /// <summary>Ids of the slots that hold a token.</summary>
    public IReadOnlyList<ulong> GetSlots() => _shared.Slots().Select(s => s.SlotId).ToList();

    /// <summary>The token in <paramref name="slotId"/>.</summary>
    public TokenInfo GetTokenInfo(ulong slotId) => TokenInfo.From(slotId, _shared.Slot(slotId).GetTokenInfo());

    /// <summary>Every present token.</summary>
    public IReadOnlyList<TokenInfo> GetTokens() => _shared.Slots().Select(s => TokenInfo.From(s.SlotId, s.GetTokenInfo())).ToList();

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

    /// <summary>Opens a session on <paramref name="slotId"/>. One session runs one operation at a time: never share it between threads.</summary>
    public ISession OpenSession(ulong slotId, bool readWrite = false)
        => _shared.Slot(slotId).OpenSession(readWrite ? SessionType.ReadWrite : SessionType.ReadOnly);

    /// <summary>Closes every session this process has on <paramref name="slotId"/> (this also logs the token out).</summary>
    public void CloseAllSessions(ulong slotId) => _shared.Slot(slotId).CloseAllSessions();

    /// <summary>
    /// C_InitToken on an uninitialised slot. The SO PIN travels as bytes (never text or a process argument); the caller zeroes it.
    /// </summary>
    public void InitializeToken(ulong slotId, byte[] soPin, string label)
        => _shared.Slot(slotId).InitToken(soPin, System.Text.Encoding.UTF8.GetBytes(label));

    /// <summary>
    /// Makes sure the module is initialised: when it answers CKR_CRYPTOKI_NOT_INITIALIZED (another component called
    /// C_Finalize), a fresh library instance replaces the shared one. Every session opened before is then gone.
    /// </summary>
    public void EnsureInitialized() => _shared.EnsureInitialized();

    /// <summary>How many times the shared library was re-initialised after a loss (for tests and diagnostics).</summary>
    public int Generation => _shared.Generation;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        lock (Loaded)
        {
            if (--_shared.References > 0)
                return;
            Loaded.Remove(_shared.Path);
            _shared.Unload();
        }
    }

    /// <summary>The one Pkcs11Interop library instance for a path, and the slots it listed.</summary>
    private sealed class SharedLibrary
    {
        private readonly object _gate = new();
        // Our own reference to the .so keeps its code and globals mapped while a library instance is replaced.
        private readonly IntPtr _pin;
        private IPkcs11Library _library;
        private Dictionary<ulong, ISlot> _slots = [];

        public SharedLibrary(string path)
        {
            Path = path;
            _pin = NativeLibrary.Load(path);
            try
            {
                _library = LoadInstance(path);
            }
            catch
            {
                NativeLibrary.Free(_pin);
                throw;
            }
        }

        public string Path { get; }
        public int References { get; set; }
        public int Generation { get; private set; }

        private static IPkcs11Library LoadInstance(string path)
        {
            var factories = Pkcs11InteropRuntime.Factories;
            return factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
        }

        public List<ISlot> Slots()
        {
            lock (_gate)
            {
                var slots = _library.GetSlotList(SlotsType.WithTokenPresent);
                _slots = slots.ToDictionary(s => s.SlotId);
                return slots;
            }
        }

        public ISlot Slot(ulong slotId)
        {
            lock (_gate)
                if (_slots.TryGetValue(slotId, out var cached))
                    return cached;
            // SoftHSM and USB tokens renumber slots; list again before declaring it gone.
            return Slots().FirstOrDefault(s => s.SlotId == slotId)
                   ?? throw new Pkcs11Exception("C_GetSlotList", CKR.CKR_SLOT_ID_INVALID);
        }

        public void EnsureInitialized()
        {
            lock (_gate)
            {
                try
                {
                    _library.GetInfo();
                    return;
                }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_CRYPTOKI_NOT_INITIALIZED)
                {
                }
                // The old instance's C_Finalize answers NOT_INITIALIZED and is ignored; it must go before the new
                // instance's C_Initialize, or it would finalise the fresh state.
                _library.Dispose();
                _library = LoadInstance(Path);
                _slots = [];
                Generation++;
            }
        }

        public void Unload()
        {
            lock (_gate)
            {
                _library.Dispose(); // C_Finalize for the process: this is the last user
                NativeLibrary.Free(_pin);
            }
        }
    }
}
