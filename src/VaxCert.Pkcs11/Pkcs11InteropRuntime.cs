using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VaxCert.Pkcs11;

/// <summary>
/// Process-wide set-up of Pkcs11Interop. Its Unix loader P/Invokes dlopen from "libdl", which glibc 2.34+ (Debian 12)
/// ships only as libdl.so.2, so out of the box every load fails with DllNotFoundException. The maintainers' fix
/// (Pkcs11Interop issue #239) is a DllImportResolver for the Pkcs11Interop assembly that maps "libdl" to libdl.so.2;
/// it is registered once, before the first load.
/// </summary>
public static class Pkcs11InteropRuntime
{
    private static readonly object Gate = new();
    private static bool _resolverRegistered;

    /// <summary>The one factory set VaxCert uses (it picks the CK_ULONG width and packing of this platform).</summary>
    public static Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>
    /// Registers the libdl resolver for the Pkcs11Interop assembly; idempotent. A host that registered its own resolver for
    /// that assembly first keeps it (.NET allows one per assembly).
    /// </summary>
    public static void EnsureNativeResolver()
    {
        lock (Gate)
        {
            if (_resolverRegistered)
                return;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, ResolveLibdl);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already set for Pkcs11Interop (by the host); it is then the host's job to answer "libdl".
            }
            _resolverRegistered = true;
        }
    }

    /// <summary>"libdl" → libdl.so.2 on Linux; every other name keeps the default probing (IntPtr.Zero).</summary>
    internal static IntPtr ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "libdl" || !OperatingSystem.IsLinux())
            return IntPtr.Zero;
        if (NativeLibrary.TryLoad("libdl.so.2", out var handle) || NativeLibrary.TryLoad("libdl.so", out handle))
            return handle;
        return IntPtr.Zero;
    }
}
