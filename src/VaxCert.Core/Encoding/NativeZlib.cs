using System.Runtime.InteropServices;

namespace VaxCert.Core.Encoding;

/// <summary>
/// zlib through the system libz with one reusable deflate and one inflate stream per thread. Issuing or verifying a
/// certificate (de)compresses ~300-600 bytes; creating a ZLibStream each time (allocating and clearing the zlib state)
/// cost a large share of an ECDSA operation, while deflateReset/inflateReset on a kept stream costs a fraction of that.
/// Only used where the z_stream layout below is known (64-bit Unix, LP64); elsewhere <see cref="Zlib"/> uses ZLibStream.
/// <para>
/// Certificates no longer come here for compression: <see cref="SmallDeflate"/> writes the same bytes for inputs of up
/// to 1 KiB without zlib's per-stream setup; this path compresses larger inputs and is the reference tests compare with.
/// </para>
/// </summary>
internal static unsafe class NativeZlib
{
    // z_stream on LP64: next_in@0, avail_in@8 (uInt), total_in@16, next_out@24, avail_out@32 (uInt), total_out@40,
    // msg@48, state@56, zalloc@64, zfree@72, opaque@80, data_type@88, adler@96, reserved@104: 112 bytes.
    private const int StreamSize = 112;
    private const int OffNextIn = 0, OffAvailIn = 8, OffTotalIn = 16, OffNextOut = 24, OffAvailOut = 32, OffTotalOut = 40;
    private const int ZFinish = 4, ZStreamEnd = 1, ZOk = 0, ZDeflated = 8, ZDefaultStrategy = 0;
    private const int Level = 9, WindowBits = 15, MemLevel = 8; // same output as zlib level 9: header 78 DA

    private static readonly Api? Functions = TryLoad();

    [ThreadStatic] private static Stream? t_deflate;
    [ThreadStatic] private static Stream? t_inflate;
    [ThreadStatic] private static byte[]? t_inflateScratch;

    /// <summary>Whether the native path is usable on this machine.</summary>
    public static bool IsAvailable => Functions is not null;

    /// <summary>Compresses <paramref name="data"/>; returns null if the native library failed (caller falls back).</summary>
    public static byte[]? TryCompress(ReadOnlySpan<byte> data)
    {
        var api = Functions;
        if (api is null) return null;
        var stream = t_deflate ??= Stream.CreateDeflate(api, WindowBits, MemLevel);
        if (stream is null) return null;
        // A stored block needs 5 bytes per 64 KiB plus header and trailer; small inputs fit in len + 64.
        var output = new byte[data.Length + data.Length / 1000 + 64];
        var s = stream.Pointer;
        if (api.Reset(s) != ZOk) return null;
        int rc, written;
        fixed (byte* input = data)
        fixed (byte* outp = output)
        {
            *(byte**)(s + OffNextIn) = input;
            *(uint*)(s + OffAvailIn) = (uint)data.Length;
            *(byte**)(s + OffNextOut) = outp;
            *(uint*)(s + OffAvailOut) = (uint)output.Length;
            rc = api.Deflate(s, ZFinish);
            written = (int)*(ulong*)(s + OffTotalOut);
            // Clear the borrowed pointers so the kept stream never refers to unpinned memory.
            *(byte**)(s + OffNextIn) = null;
            *(byte**)(s + OffNextOut) = null;
        }
        if (rc != ZStreamEnd) return null;
        return output.AsSpan(0, written).ToArray();
    }

    /// <summary>The outcome of a native inflate: null when the native path is unavailable (caller falls back).</summary>
    public static DecodeFailure? TryDecompress(ReadOnlySpan<byte> compressed, int maxInflatedBytes, out byte[] inflated)
    {
        inflated = [];
        var api = Functions;
        if (api is null) return null;
        var stream = t_inflate ??= Stream.CreateInflate(api);
        if (stream is null) return null;
        // One extra byte tells "exactly at the cap" from "over the cap" without inflating the rest.
        var scratch = t_inflateScratch is { } b && b.Length > maxInflatedBytes ? b : t_inflateScratch = new byte[maxInflatedBytes + 1];
        var s = stream.Pointer;
        if (api.InflateReset(s) != ZOk) return null;
        int rc;
        long consumed, produced;
        fixed (byte* input = compressed)
        fixed (byte* outp = scratch)
        {
            *(byte**)(s + OffNextIn) = input;
            *(uint*)(s + OffAvailIn) = (uint)compressed.Length;
            *(byte**)(s + OffNextOut) = outp;
            *(uint*)(s + OffAvailOut) = (uint)(maxInflatedBytes + 1);
            rc = api.Inflate(s, ZFinish);
            consumed = (long)*(ulong*)(s + OffTotalIn);
            produced = (long)*(ulong*)(s + OffTotalOut);
            *(byte**)(s + OffNextIn) = null;
            *(byte**)(s + OffNextOut) = null;
        }
        if (produced > maxInflatedBytes) return DecodeFailure.ZlibTooLarge;
        // Z_STREAM_END means the Adler-32 trailer checked out; bytes after it mean this was not one zlib stream.
        if (rc != ZStreamEnd || consumed != compressed.Length) return DecodeFailure.ZlibInvalid;
        inflated = scratch.AsSpan(0, (int)produced).ToArray();
        return DecodeFailure.None;
    }

    private sealed class Api
    {
        public required delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int> Init;
        public required delegate* unmanaged<byte*, int, int> Deflate;
        public required delegate* unmanaged<byte*, int> Reset;
        public required delegate* unmanaged<byte*, int> End;
        public required delegate* unmanaged<byte*> Version;
        public required delegate* unmanaged<byte*, int, byte*, int, int> InflateInit;
        public required delegate* unmanaged<byte*, int, int> Inflate;
        public required delegate* unmanaged<byte*, int> InflateReset;
        public required delegate* unmanaged<byte*, int> InflateEnd;
    }

    private static Api? TryLoad()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return null;
        if (Environment.GetEnvironmentVariable("VAXCERT_ZLIB") == "managed") return null;
        if (!NativeLibrary.TryLoad("libz.so.1", out var lib)) return null;
        if (!NativeLibrary.TryGetExport(lib, "deflateInit2_", out var init) || !NativeLibrary.TryGetExport(lib, "deflate", out var deflate)
            || !NativeLibrary.TryGetExport(lib, "deflateReset", out var reset) || !NativeLibrary.TryGetExport(lib, "deflateEnd", out var end)
            || !NativeLibrary.TryGetExport(lib, "zlibVersion", out var version)
            || !NativeLibrary.TryGetExport(lib, "inflateInit2_", out var inflateInit) || !NativeLibrary.TryGetExport(lib, "inflate", out var inflate)
            || !NativeLibrary.TryGetExport(lib, "inflateReset", out var inflateReset) || !NativeLibrary.TryGetExport(lib, "inflateEnd", out var inflateEnd))
            return null;
        return new Api
        {
            Init = (delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int>)init,
            Deflate = (delegate* unmanaged<byte*, int, int>)deflate,
            Reset = (delegate* unmanaged<byte*, int>)reset,
            End = (delegate* unmanaged<byte*, int>)end,
            Version = (delegate* unmanaged<byte*>)version,
            InflateInit = (delegate* unmanaged<byte*, int, byte*, int, int>)inflateInit,
            Inflate = (delegate* unmanaged<byte*, int, int>)inflate,
            InflateReset = (delegate* unmanaged<byte*, int>)inflateReset,
            InflateEnd = (delegate* unmanaged<byte*, int>)inflateEnd,
        };
    }

    /// <summary>One initialised z_stream in native memory (zlib keeps a pointer back to it, so it must not move).</summary>
    private sealed class Stream
    {
        private readonly Api _api;
        private readonly bool _inflate;
        public byte* Pointer { get; }

        private Stream(Api api, byte* pointer, bool inflate)
        {
            _api = api;
            Pointer = pointer;
            _inflate = inflate;
        }

        // deflateInit2_/inflateInit2_ check the version string's first character and the struct size against their own.
        public static Stream? CreateDeflate(Api api, int windowBits, int memLevel) => Create(api, inflate: false,
            p => api.Init((byte*)p, Level, ZDeflated, windowBits, memLevel, ZDefaultStrategy, api.Version(), StreamSize));

        // windowBits 15: zlib format only (no raw deflate, no gzip), the largest window a zlib header can declare.
        public static Stream? CreateInflate(Api api) => Create(api, inflate: true,
            p => api.InflateInit((byte*)p, WindowBits, api.Version(), StreamSize));

        private static Stream? Create(Api api, bool inflate, Func<nint, int> init)
        {
            var p = (byte*)NativeMemory.AllocZeroed(StreamSize);
            if (init((nint)p) != ZOk)
            {
                NativeMemory.Free(p);
                return null;
            }
            return new Stream(api, p, inflate);
        }

        ~Stream()
        {
            if (_inflate) _api.InflateEnd(Pointer); else _api.End(Pointer);
            NativeMemory.Free(Pointer);
        }
    }
}
