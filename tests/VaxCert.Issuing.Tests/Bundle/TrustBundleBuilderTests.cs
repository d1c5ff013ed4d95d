using System.Formats.Cbor;
using System.Security.Cryptography;
using VaxCert.Core.Bundle;
using VaxCert.Core.Encoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Bundle;
using VaxCert.Testing;

namespace VaxCert.Issuing.Tests.Bundle;

/// <summary>The issuer side of trust bundles: the signed envelope, the EU partitions and the delta arithmetic.</summary>
public sealed class TrustBundleBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Kid = [1, 2, 3, 4, 5, 6, 7, 8];

    private static SoftwareCoseSigner DevSigner() => SoftwareCoseSigner.FromPemFiles(
        Path.Combine(RepoPaths.KeysDev, DevPkiLayout.BundleSignerCertificate), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.BundleSignerKey));

    private static byte[] Hash(int seed) => SHA256.HashData(BitConverter.GetBytes(seed))[..16];

    private static TrustBundleContent Content(long sequence, params int[] revoked)
    {
        var revocations = new BundleRevocations();
        foreach (var r in revoked) revocations.Add(Kid, TrustBundleFormat.HashUci, Hash(r), Now.AddDays(r));
        return new TrustBundleContent
        {
            Sequence = sequence, IssuedAt = Now, ExpiresAt = Now.AddDays(2), Revocations = revocations.Build(),
            Signers = [new BundleSigner([0x30, 0x01, (byte)sequence], "VN")],
        };
    }

    [Fact]
    public void The_envelope_is_a_cose_sign1_with_content_type_and_signer_certificate_in_the_protected_header()
    {
        using var signer = DevSigner();
        var bytes = TrustBundleBuilder.Sign(Content(1, 1, 2), signer);
        Assert.True(CoseSign1Message.TryDecode(bytes, out var message, out _));
        Assert.True(message!.VerifySignature(signer.Certificate));
        var header = new CborReader(message.RawProtectedHeader, CborConformanceMode.Strict); // deterministic: strict mode reads it
        Assert.Equal(4, header.ReadStartMap());
        var labels = new Dictionary<long, object>();
        for (var i = 0; i < 4; i++)
        {
            var label = header.ReadInt64();
            labels[label] = header.PeekState() switch
            {
                CborReaderState.TextString => header.ReadTextString(),
                CborReaderState.ByteString => header.ReadByteString(),
                _ => header.ReadInt64(),
            };
        }
        Assert.Equal(TrustBundleFormat.ContentType, labels[TrustBundleFormat.HeaderContentType]);
        Assert.Equal(signer.Certificate.RawData, labels[TrustBundleFormat.HeaderX5Chain]);
        Assert.Equal((long)CoseAlgorithm.ES256, labels[1]);
        Assert.True(TrustBundleCodec.TryDecode(message.Payload, out var content, out _));
        Assert.Equal(1, content!.Sequence);
        Assert.Throws<ArgumentException>(() => TrustBundleBuilder.Sign(Content(1) with { ExpiresAt = Now }, signer));
    }

    [Fact]
    public void Revocations_are_partitioned_by_mode_and_keep_the_latest_expiry()
    {
        var vector = new BundleRevocations().Add(Kid, TrustBundleFormat.HashUci, Hash(1), Now).Add(Kid, TrustBundleFormat.HashUci, Hash(1), Now.AddDays(5))
            .Add(Kid, TrustBundleFormat.HashUci, Hash(2), Now).Build();
        var list = Assert.Single(vector);
        Assert.Equal(TrustBundleFormat.ModeVector, list.Mode);
        Assert.All(list.Partitions, p => Assert.All(p.Hashes, h => Assert.Equal(p.X, h[0])));
        Assert.Equal(2, list.Partitions.Sum(p => p.Hashes.Count)); // the duplicate counts once
        Assert.Equal(Now.AddDays(5), list.Partitions.Single(p => p.X == Hash(1)[0]).Expires);

        var point = new BundleRevocations(TrustBundleFormat.ModePoint).Add(Kid, TrustBundleFormat.HashSignature, Hash(1), Now)
            .Add(Kid, TrustBundleFormat.HashSignature, Hash(2), Now).Build();
        Assert.Equal((null, null, 2), (point[0].Partitions.Single().X, point[0].Partitions.Single().Y, point[0].Partitions.Single().Hashes.Count));
        Assert.Throws<ArgumentException>(() => new BundleRevocations().Add(Kid, "UVCI", Hash(1), Now));
        Assert.Throws<ArgumentException>(() => new BundleRevocations().Add(Kid, TrustBundleFormat.HashUci, new byte[15], Now));
    }

    [Fact]
    public void A_delta_carries_only_what_changed_and_applying_it_gives_the_new_bundle()
    {
        var a = Content(1, 1, 2);
        var b = Content(2, 1, 2, 3, 4) with { FacilityRevoked = ["0A1B"] };
        var delta = TrustBundleDelta.Diff(a, b);
        Assert.Equal(1, delta.BaseSequence);
        Assert.Equal(2, delta.Revocations.Sum(l => l.Partitions.Sum(p => p.Hashes.Count)));
        Assert.Equal([TrustBundleDelta.Thumbprint(a.Signers[0].Der)], delta.RemovedSigners);
        Assert.Single(delta.Signers);
        Assert.Null(delta.Rules);

        Assert.True(TrustBundleDelta.TryApply(a, delta, out var merged, out var problem), problem);
        Assert.Equal(TrustBundleCodec.Encode(Normalised(b)), TrustBundleCodec.Encode(Normalised(merged!)));
        Assert.False(TrustBundleDelta.TryApply(b, delta, out _, out _)); // base 1, not 2
        Assert.Throws<ArgumentException>(() => TrustBundleDelta.Diff(b, a)); // never backwards
    }

    [Fact]
    public void A_delta_that_changes_a_partition_mode_does_not_apply()
    {
        var a = Content(1, 1);
        var b = Content(2) with { Revocations = new BundleRevocations(TrustBundleFormat.ModePoint).Add(Kid, TrustBundleFormat.HashUci, Hash(9), Now).Build() };
        var forged = b with { BaseSequence = 1 };
        Assert.False(TrustBundleDelta.TryApply(a, forged, out _, out var problem));
        Assert.Contains("changes mode", problem);
        // The issuer keeps the base's modes, so its own deltas always merge.
        var kept = new BundleRevocations(TrustBundleFormat.ModePoint).UseModesOf(a).Add(Kid, TrustBundleFormat.HashUci, Hash(9), Now).Build();
        Assert.Equal(TrustBundleFormat.ModeVector, kept.Single().Mode);
    }

    // Partition and hash order is not part of the meaning; sort both so two equal bundles encode alike.
    private static TrustBundleContent Normalised(TrustBundleContent c) => c with
    {
        Revocations = c.Revocations.OrderBy(l => Convert.ToHexString(l.KeyId) + l.HashType).Select(l => l with
        {
            Partitions = l.Partitions.OrderBy(p => p.X).ThenBy(p => p.Y)
                .Select(p => p with { Hashes = p.Hashes.OrderBy(Convert.ToHexString).ToList() }).ToList(),
        }).ToList(),
    };
}
