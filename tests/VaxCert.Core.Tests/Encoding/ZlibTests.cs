using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Encoding;

namespace VaxCert.Core.Tests.Encoding;

public class ZlibTests
{
    [Fact]
    public void Round_trips_and_writes_a_zlib_header()
    {
        var data = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("VaxCert ", 50)));
        var compressed = Zlib.Compress(data);
        Assert.Equal(0x78, compressed[0]);
        Assert.Equal(0, ((compressed[0] << 8) | compressed[1]) % 31);
        Assert.True(Zlib.TryDecompress(compressed, out var back, out _));
        Assert.Equal(data, back);
    }

    [Fact]
    public void Native_and_managed_compressors_both_round_trip_any_bytes_on_any_thread()
    {
        // CI runs on Linux x64, where the native path must be the one in use.
        if (OperatingSystem.IsLinux() && IntPtr.Size == 8)
            Assert.True(NativeZlib.IsAvailable, "libz.so.1 should be loadable on Linux x64");
        FsCheck.Fluent.Prop.ForAll<byte[]>(data =>
        {
            var native = Zlib.Compress(data);
            var managed = Zlib.CompressManaged(data);
            return Zlib.TryDecompress(native, out var a, out _) && a.AsSpan().SequenceEqual(data)
                   && Zlib.TryDecompress(managed, out var b, out _) && b.AsSpan().SequenceEqual(data)
                   && native[0] == 0x78 && native[1] == 0xDA;
        }).QuickCheckThrowOnFailure();
        var big = new byte[70_000];
        new Random(1).NextBytes(big); // incompressible: exercises the output bound
        Parallel.For(0, 64, i =>
        {
            var slice = big.AsSpan(0, 1000 * i).ToArray();
            Assert.True(Zlib.TryDecompress(Zlib.Compress(slice), out var back, out _));
            Assert.Equal(slice, back);
        });
    }

    [Fact]
    public void Native_and_managed_inflaters_agree_on_mutated_streams()
    {
        var random = new Random(5772);
        var original = Zlib.Compress(System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 40).Select(i => $"dose {i} Nguyễn "))));
        var disagreements = 0;
        Assert.True(Zlib.TryDecompress(original, out var expected, out _));
        for (var i = 0; i < 3000; i++)
        {
            var mutated = original.ToArray();
            var kind = random.Next(4);
            switch (kind)
            {
                case 0: mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: mutated = mutated.AsSpan(0, random.Next(mutated.Length)).ToArray(); break;
                case 2: mutated = [.. mutated, (byte)random.Next(256)]; break;
                default: mutated[random.Next(mutated.Length)] = (byte)random.Next(256); break;
            }
            var cap = i % 2 == 0 ? 400 : 4000; // below and above the true size
            var native = Zlib.TryDecompress(mutated, out var a, out var fa, maxInflatedBytes: cap);
            var managed = Zlib.TryDecompressManaged(mutated, out var b, out var fb, maxInflatedBytes: cap);
            // zlib and .NET's zlib-ng differ in how strictly they treat some malformed deflate bits; what must hold is
            // that neither ever yields different content: whatever either accepts is the original, Adler-32 checked.
            if (native) Assert.Equal(expected, a);
            if (managed) Assert.Equal(expected, b);
            if (native == managed) Assert.True(fa == fb, $"case {i} kind {kind}: native {fa}, managed {fb}");
            else disagreements++;
        }
        Assert.True(disagreements < 30, $"{disagreements} strictness disagreements in 3000 mutations");
    }

    [Fact]
    public void Rejects_a_zip_bomb_at_the_cap_without_inflating_it()
    {
        var bomb = Zlib.Compress(new byte[10_000_000]); // ~10 KB of zlib that inflates to 10 MB
        Assert.False(Zlib.TryDecompress(bomb, out var output, out var failure));
        Assert.Equal(DecodeFailure.ZlibTooLarge, failure);
        Assert.Empty(output);
    }

    [Fact]
    public void Rejects_raw_deflate_and_uncompressed_cose()
    {
        // EU vector Z2: plain COSE bytes (D2 84 ...) where zlib was expected.
        Assert.False(Zlib.TryDecompress(new byte[] { 0xD2, 0x84, 0x4D, 0xA2, 0x01, 0x26, 0x04, 0x48 }, out _, out var f1));
        Assert.Equal(DecodeFailure.ZlibInvalid, f1);
        var good = Zlib.Compress(new byte[100]);
        Assert.False(Zlib.TryDecompress(good.AsSpan(2).ToArray(), out _, out var f2)); // header stripped
        Assert.Equal(DecodeFailure.ZlibInvalid, f2);
    }

    [Fact]
    public void Detects_a_corrupted_checksum_and_truncation()
    {
        var good = Zlib.Compress(System.Text.Encoding.UTF8.GetBytes("the quick brown fox jumps over the lazy dog"));
        var badAdler = good.ToArray();
        badAdler[^1] ^= 0x01;
        Assert.False(Zlib.TryDecompress(badAdler, out _, out var f1));
        Assert.Equal(DecodeFailure.ZlibInvalid, f1);
        Assert.False(Zlib.TryDecompress(good.AsSpan(0, good.Length - 6).ToArray(), out _, out var f2));
        Assert.Equal(DecodeFailure.ZlibInvalid, f2);
    }
}
