using System.IO.Compression;
using FsCheck.Fluent;
using Org.BouncyCastle.Utilities.Zlib;
using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Signing;
using VaxCert.Core.Tests.Names;
using VaxCert.Issuing.Qr;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Encoding;

/// <summary>
/// The managed small-input deflate (issue 11): every output inflates with two independent decoders (.NET's ZLibStream
/// and BouncyCastle's JZlib port), is byte for byte what the system zlib writes at level 9, or one byte shorter where
/// zlib wastes a byte on a stored block, and so no certificate's QR code ever grows.
/// </summary>
public sealed class SmallDeflateTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    private static readonly byte[] DccText = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 60).Select(i =>
        $"URN:UVCI:01:VN:79001/R{i * 7919:X}#{i % 10} Nguyễn Thị NGUYEN<THI 1119349007 EU/1/20/1528 ORG-100030215 2021-09-{i % 28 + 1:D2} ")));

    public SmallDeflateTests()
    {
        // CI runs on Linux x64, where the native zlib is there to compare with; elsewhere only the decoders check.
        if (OperatingSystem.IsLinux() && IntPtr.Size == 8)
            Assert.True(NativeZlib.IsAvailable, "libz.so.1 should be loadable on Linux x64");
    }

    /// <summary>Inputs of a kind and length drawn by FsCheck, built from a seed so a failure is easy to replay.</summary>
    private static byte[] Input(int kind, int length, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        switch (kind)
        {
            case 0: random.NextBytes(data); break; // incompressible: stored block
            case 1: for (var i = 0; i < length; i++) data[i] = (byte)random.Next(3); break; // tiny alphabet: long chains
            case 2: Array.Fill(data, (byte)random.Next(256)); break; // one run: length-258 matches
            case 3: // DCC-like text from a random offset, with random bytes spliced in like a signature
                var start = random.Next(DccText.Length - length);
                DccText.AsSpan(start, length).CopyTo(data);
                var noise = random.Next(Math.Max(1, length / 3));
                var at = random.Next(Math.Max(1, length - noise));
                random.NextBytes(data.AsSpan(at, Math.Min(noise, length - at)));
                break;
            case 4: // a random block repeated at the far end: matches at the longest distances the input allows
                random.NextBytes(data);
                var block = Math.Min((length - 1) / 2, random.Next(3, 40));
                if (block > 0) data.AsSpan(1, block).CopyTo(data.AsSpan(length - block));
                break;
            default: // short repeating periods: overlapping matches (distance < length)
                var period = random.Next(1, 9);
                for (var i = 0; i < length; i++) data[i] = i < period ? (byte)random.Next(256) : data[i - period];
                break;
        }
        return data;
    }

    private static readonly FsCheck.Gen<(int Kind, int Length, int Seed)> Inputs =
        from kind in Gen.Choose(0, 5)
        from length in Gen.OneOf(Gen.Choose(0, 8), Gen.Choose(0, SmallDeflate.MaxInputLength), Gen.Choose(250, 700),
            Gen.Choose(SmallDeflate.MaxInputLength - 8, SmallDeflate.MaxInputLength))
        from seed in Gen.Choose(0, int.MaxValue)
        select (kind, length, seed);

    [Fact]
    public void Every_output_inflates_with_two_independent_decoders_and_matches_zlib_level_9()
        => PropertyCheck.ForAll(Inputs, t =>
        {
            var input = Input(t.Kind, t.Length, t.Seed);
            var output = SmallDeflate.Compress(input);
            Assert.Equal(input, InflateDotNet(output));
            Assert.Equal(input, InflateBouncyCastle(output));
            Assert.True(Zlib.TryDecompress(output, out var inflated, out var failure), failure.ToString());
            Assert.Equal(input, inflated);
            AssertSameAsZlibOrOneByteShorter(input, output);
            return true;
        }, maxTest: 3000);

    [Fact]
    public void Edge_cases_round_trip()
    {
        var longestRun = new byte[SmallDeflate.MaxInputLength];
        var farMatch = new byte[SmallDeflate.MaxInputLength];
        new Random(7).NextBytes(farMatch);
        farMatch.AsSpan(1, 3).CopyTo(farMatch.AsSpan(farMatch.Length - 3)); // distance 1,020: the farthest possible
        var positionZero = "abcXabc"u8.ToArray(); // zlib never matches the string at position 0
        foreach (var input in new[] { [], [0x42], [0, 0], [1, 2, 3], longestRun, farMatch, positionZero, DccText[..SmallDeflate.MaxInputLength] })
        {
            var output = SmallDeflate.Compress(input);
            Assert.Equal(input, InflateDotNet(output));
            Assert.Equal(input, InflateBouncyCastle(output));
            AssertSameAsZlibOrOneByteShorter(input, output);
        }
        Assert.Equal(new byte[] { 0x78, 0xDA, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 }, SmallDeflate.Compress([]));
    }

    [Fact]
    public void Zlib_Compress_uses_it_up_to_the_limit_and_zlib_above()
    {
        var text = DccText[..(SmallDeflate.MaxInputLength + 1)];
        Assert.Equal(SmallDeflate.Compress(text[..^1]), Zlib.Compress(text[..^1]));
        var large = Zlib.Compress(text);
        Assert.Equal(text, InflateBouncyCastle(large));
    }

    [Fact]
    public void Thousand_sample_certificates_never_get_a_larger_QR_code()
    {
        using var es256 = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256);
        using var ps256 = TestPki.CreateSoftwareSigner(CoseAlgorithm.PS256);
        var issuers = new[] { Hc1Issuer.Create(es256, time: new FixedTimeProvider(Now)), Hc1Issuer.Create(ps256, time: new FixedTimeProvider(Now)) };
        var random = new Random(2026);
        var versions = new SortedDictionary<int, int>();
        for (var i = 0; i < 1000; i++)
        {
            var result = issuers[i % 2].Issue(SampleRecords.Create(random));
            Assert.True(result.Succeeded, result.Message);
            var certificate = result.Certificate!;
            Assert.True(certificate.Cose.Length <= SmallDeflate.MaxInputLength, $"certificate {i}: {certificate.Cose.Length} bytes of COSE");
            Assert.Equal(certificate.Cose, InflateBouncyCastle(certificate.Compressed));
            var version = QrRenderer.VersionFor(certificate.Hc1);
            versions[version] = versions.GetValueOrDefault(version) + 1;
            if (!NativeZlib.IsAvailable) continue;
            var level9 = NativeZlib.TryCompress(certificate.Cose)!;
            Assert.True(certificate.Compressed.Length <= level9.Length, $"certificate {i}: {certificate.Compressed.Length} > {level9.Length} bytes");
            var level9Version = QrRenderer.VersionFor(ContextPrefix.Add(Base45.Encode(level9)));
            Assert.True(version <= level9Version, $"certificate {i}: QR version {version} > {level9Version} with zlib level 9");
        }
        Assert.True(versions.Count > 1, "the sample should span more than one QR version: " + string.Join(", ", versions));
    }

    // Either zlib's exact bytes, or zlib chose a stored block one byte longer than the Huffman block written here.
    private static void AssertSameAsZlibOrOneByteShorter(byte[] input, byte[] output)
    {
        if (!NativeZlib.IsAvailable) return;
        var level9 = NativeZlib.TryCompress(input)!;
        if (level9.AsSpan().SequenceEqual(output)) return;
        Assert.True(level9.Length == output.Length + 1 && (level9[2] & 7) == 1 && (output[2] & 6) != 0,
            $"{input.Length} bytes: zlib {Convert.ToHexString(level9)}, managed {Convert.ToHexString(output)}");
    }

    private static byte[] InflateDotNet(byte[] compressed)
    {
        using var z = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] InflateBouncyCastle(byte[] compressed)
    {
        using var z = new ZInputStream(new MemoryStream(compressed));
        var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }
}
