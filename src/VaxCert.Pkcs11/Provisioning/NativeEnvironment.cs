using System.Runtime.InteropServices;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>
/// Sets a variable where native code sees it. On Unix, .NET's Environment.SetEnvironmentVariable only changes the managed
/// copy, so a module calling getenv (SoftHSM reading SOFTHSM2_CONF) would still see the old value; libc setenv fixes that.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows())
            return; // on Windows the managed call already updates the process environment block
        if (setenv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);
}
