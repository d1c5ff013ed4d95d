using System.Runtime.InteropServices;

namespace VaxCert.Core.Encoding;

/// <summary>
/// zlib compression through the system libz with one reusable stream per thread. Issuing a certificate compresses
/// ~300-600 bytes; creating a ZLibStream each time (allocating and clearing the deflate state) cost about as much as
/// 40 % of an ECDSA signature, while deflateReset on a kept stream costs a fraction of that. Only used where the
/// z_stream layout below is known (64-bit Unix, LP64); everywhere else <see cref="Zlib"/> falls back to ZLibStream.
/// </summary>
internal static unsafe class NativeZlibDeflater
{
    // z_stream on LP64: next_in@0, avail_in@8 (uInt), total_in@16, next_out@24, avail_out@32 (uInt), total_out@40,
    // msg@48, state@56, zalloc@64, zfree@72, opaque@80, data_type@88, adler@96, reserved@104: 112 bytes.
    private const int StreamSize = 112;
    private const int OffNextIn = 0, OffAvailIn = 8, OffNextOut = 24, OffAvailOut = 32, OffTotalOut = 40;
    private const int ZFinish = 4, ZStreamEnd = 1, ZOk = 0, ZDeflated = 8, ZDefaultStrategy = 0;
    private const int Level = 9, WindowBits = 15, MemLevel = 8; // same output as zlib level 9: header 78 DA

    private static readonly Api? Functions = TryLoad();

    [ThreadStatic] private static Stream? t_stream;

    /// <summary>Whether the native path is usable on this machine.</summary>
    public static bool IsAvailable => Functions is not null;

    /// <summary>Compresses <paramref name="data"/>; returns null if the native library failed (caller falls back).</summary>
    public static byte[]? TryCompress(ReadOnlySpan<byte> data)
    {
        var api = Functions;
        if (api is null) return null;
        var stream = t_stream ??= Stream.Create(api);
        if (stream is null) return null;
        // A stored block needs 5 bytes per 64 KiB plus header and trailer; small inputs fit in len + 64.
        var output = new byte[data.Length + data.Length / 1000 + 64];
        var s = stream.Pointer;
        if (api.Reset(s) != ZOk) return null;
        fixed (byte* input = data)
        fixed (byte* outp = output)
        {
            *(byte**)(s + OffNextIn) = input;
            *(uint*)(s + OffAvailIn) = (uint)data.Length;
            *(byte**)(s + OffNextOut) = outp;
            *(uint*)(s + OffAvailOut) = (uint)output.Length;
            var rc = api.Deflate(s, ZFinish);
            var written = (int)*(ulong*)(s + OffTotalOut);
            // Clear the borrowed pointers so the kept stream never refers to unpinned memory.
            *(byte**)(s + OffNextIn) = null;
            *(byte**)(s + OffNextOut) = null;
            if (rc != ZStreamEnd) return null;
            return output.AsSpan(0, written).ToArray();
        }
    }

    private sealed class Api
    {
        public required delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int> Init;
        public required delegate* unmanaged<byte*, int, int> Deflate;
        public required delegate* unmanaged<byte*, int> Reset;
        public required delegate* unmanaged<byte*, int> End;
        public required delegate* unmanaged<byte*> Version;
    }

    private static Api? TryLoad()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return null;
        if (Environment.GetEnvironmentVariable("VAXCERT_ZLIB") == "managed") return null;
        if (!NativeLibrary.TryLoad("libz.so.1", out var lib)) return null;
        if (!NativeLibrary.TryGetExport(lib, "deflateInit2_", out var init) || !NativeLibrary.TryGetExport(lib, "deflate", out var deflate)
            || !NativeLibrary.TryGetExport(lib, "deflateReset", out var reset) || !NativeLibrary.TryGetExport(lib, "deflateEnd", out var end)
            || !NativeLibrary.TryGetExport(lib, "zlibVersion", out var version))
            return null;
        return new Api
        {
            Init = (delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int>)init,
            Deflate = (delegate* unmanaged<byte*, int, int>)deflate,
            Reset = (delegate* unmanaged<byte*, int>)reset,
            End = (delegate* unmanaged<byte*, int>)end,
            Version = (delegate* unmanaged<byte*>)version,
        };
    }

    /// <summary>One initialised z_stream in native memory (zlib keeps a pointer back to it, so it must not move).</summary>
    private sealed class Stream
    {
        private readonly Api _api;
        public byte* Pointer { get; }

        private Stream(Api api, byte* pointer)
        {
            _api = api;
            Pointer = pointer;
        }

        public static Stream? Create(Api api)
        {
            var p = (byte*)NativeMemory.AllocZeroed(StreamSize);
            // deflateInit2_ checks the version string's first character and the struct size against its own.
            if (api.Init(p, Level, ZDeflated, WindowBits, MemLevel, ZDefaultStrategy, api.Version(), StreamSize) != ZOk)
            {
                NativeMemory.Free(p);
                return null;
            }
            return new Stream(api, p);
        }

        ~Stream()
        {
            _api.End(Pointer);
            NativeMemory.Free(Pointer);
        }
    }
}
