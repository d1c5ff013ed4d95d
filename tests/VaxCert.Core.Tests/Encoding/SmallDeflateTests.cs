using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Issuing.Qr;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Encoding;

/// <summary>
/// The small-input deflate stream (2 KiB window, memLevel 4) must give the same bytes as zlib level 9 with the full
/// window, so no certificate's QR code ever grows (issue 11).
/// </summary>
public sealed class SmallDeflateTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 30, 0, TimeSpan.Zero);

    public SmallDeflateTests()
    {
        // CI runs on Linux x64, where the native path must be the one in use; elsewhere there is nothing to compare.
        if (OperatingSystem.IsLinux() && IntPtr.Size == 8)
            Assert.True(NativeZlib.IsAvailable, "libz.so.1 should be loadable on Linux x64");
    }

    [Fact]
    public void Small_stream_output_equals_full_window_level_9_for_every_length_up_to_the_limit()
    {
        if (!NativeZlib.IsAvailable) return;
        var random = new Random(1101);
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"URN:UVCI:01:VN:{i * 7919 % 1000} Nguyễn ")));
        for (var length = 0; length <= NativeZlib.SmallInputLimit; length++)
        {
            var noise = new byte[length];
            random.NextBytes(noise);
            // Half text (long matches, skewed Huffman), half noise (stored blocks), and the two mixed like a COSE message.
            var mixed = text.AsSpan(0, length / 2).ToArray().Concat(noise.AsSpan(0, length - length / 2).ToArray()).ToArray();
            foreach (var input in new[] { noise, text.AsSpan(0, length).ToArray(), mixed })
            {
                var small = NativeZlib.TryCompress(input, small: true);
                var full = NativeZlib.TryCompress(input, small: false);
                Assert.NotNull(small);
                Assert.Equal(full, small);
            }
        }
    }

    [Fact]
    public void Thousand_sample_certificates_keep_their_level_9_bytes_and_QR_version()
    {
        if (!NativeZlib.IsAvailable) return;
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
            Assert.True(certificate.Cose.Length <= NativeZlib.SmallInputLimit, $"certificate {i}: {certificate.Cose.Length} bytes of COSE");
            var level9 = NativeZlib.TryCompress(certificate.Cose, small: false)!;
            Assert.Equal(level9, certificate.Compressed);
            Assert.True(Zlib.TryDecompress(certificate.Compressed, out var inflated, out var failure), failure.ToString());
            Assert.Equal(certificate.Cose, inflated);
            var level9Hc1 = ContextPrefix.Add(Base45.Encode(level9));
            Assert.Equal(level9Hc1, certificate.Hc1);
            // Same text, same symbol; the version is rendered for a sample to show the range the proof covers.
            if (i % 50 < 2)
            {
                var version = QrRenderer.VersionFor(certificate.Hc1);
                Assert.Equal(QrRenderer.VersionFor(level9Hc1), version);
                versions[version] = versions.GetValueOrDefault(version) + 1;
            }
        }
        Assert.True(versions.Count > 1, "the sample should span more than one QR version: " + string.Join(", ", versions));
    }
}
