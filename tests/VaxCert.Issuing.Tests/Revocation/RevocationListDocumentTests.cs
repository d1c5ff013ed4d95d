using System.Formats.Cbor;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Issuing.Tests.Revocation;

/// <summary>The revocation list payload: round trip, deltas, and hostile payloads answered with typed failures only.</summary>
public sealed class RevocationListDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] KidA = [1, 2, 3, 4, 5, 6, 7, 8], KidB = [9, 9, 9, 9, 9, 9, 9, 9];

    private static RevocationEntries Entries(Random random, byte[] kid, bool withUci = true)
    {
        var b = new byte[48];
        random.NextBytes(b);
        return new RevocationEntries(kid, b[32..], withUci ? b[..16] : null, withUci ? b[16..32] : null);
    }

    private static RevocationListDocument Build(IEnumerable<RevocationEntries> entries, long version, long since = 0,
        RevocationPartitionMode mode = RevocationPartitionMode.Vector)
    {
        var builder = new RevocationListBuilder(new RevocationListOptions { Mode = mode });
        foreach (var e in entries) Assert.True(builder.Add(e, Now.AddDays(30)));
        return builder.Build(version, since, Now);
    }

    [Theory]
    [InlineData(RevocationPartitionMode.Point)]
    [InlineData(RevocationPartitionMode.Vector)]
    [InlineData(RevocationPartitionMode.Coordinate)]
    public void Every_hash_survives_encoding_and_the_SDK_list_revokes_exactly_those(RevocationPartitionMode mode)
    {
        var random = new Random(1);
        var revoked = Enumerable.Range(0, 300).Select(i => Entries(random, i % 2 == 0 ? KidA : KidB, withUci: i % 7 != 0)).ToList();
        var list = Build(revoked, version: 42, mode: mode);
        var decoded = RevocationListDocument.TryDecode(list.Encode(), out var failure);

        Assert.Equal(RevocationListFailure.None, failure);
        Assert.Equal((42L, 0L, "VN", list.EntryCount), (decoded!.Version, decoded.SinceVersion, decoded.Issuer, decoded.EntryCount));
        Assert.Equal(300 * 3 - 2 * revoked.Count(e => e.Uci is null), decoded.EntryCount);
        var sdk = decoded.ToPartitionedList();
        foreach (var e in revoked)
            Assert.True(sdk.IsRevoked(e, Now));
        Assert.False(sdk.IsRevoked(Entries(random, KidA), Now));
        // Under another kid the same hashes revoke nothing.
        Assert.False(sdk.IsRevoked(revoked[0] with { KeyId = [7, 7, 7, 7, 7, 7, 7, 7] }, Now));
        Assert.False(sdk.IsRevoked(revoked[0], Now.AddDays(31))); // the partition has expired
    }

    [Fact]
    public void A_delta_applies_only_on_a_list_it_follows()
    {
        var random = new Random(2);
        var first = Enumerable.Range(0, 50).Select(_ => Entries(random, KidA)).ToList();
        var later = Enumerable.Range(0, 20).Select(_ => Entries(random, KidB)).ToList();
        var v10 = Build(first, 10);
        var delta = Build(later, 15, since: 10);
        var full = Build(first.Concat(later), 15);

        var applied = v10.Apply(delta, out var failure)!;
        Assert.Equal(RevocationListFailure.None, failure);
        Assert.Equal(full.Encode(), applied.Encode());
        Assert.Null(Build(first, 8).Apply(delta, out failure));
        Assert.Equal(RevocationListFailure.DeltaGap, failure);
        Assert.Null(v10.Apply(Build(first.Take(3), 15, since: 10, mode: RevocationPartitionMode.Point), out failure));
        Assert.Equal(RevocationListFailure.DeltaIncompatible, failure);
    }

    [Fact]
    public void A_hash_moved_into_another_partition_an_unknown_format_or_a_repeated_key_is_refused()
    {
        var list = Build(Enumerable.Range(0, 10).Select(_ => Entries(new Random(3), KidA)), 5);
        Assert.Equal(RevocationListFailure.None, Decode(Payload(list))); // the hand encoding itself is valid
        Assert.Equal(RevocationListFailure.PayloadInvalid, Decode(Payload(list, moveX: true)));
        Assert.Equal(RevocationListFailure.UnsupportedFormat, Decode(Payload(list, format: "vaxcert-revocation-list/2")));
        Assert.Equal(RevocationListFailure.PayloadInvalid, Decode(Payload(list, repeatVersion: true)));
    }

    [Fact]
    public void Truncated_or_bit_flipped_payloads_never_throw()
    {
        var random = new Random(4);
        var encoded = Build(Enumerable.Range(0, 40).Select(_ => Entries(random, KidA)), 7).Encode();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])encoded.Clone();
            if (i % 3 == 0) bytes = bytes[..random.Next(bytes.Length)];
            else bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            var document = RevocationListDocument.TryDecode(bytes, out var failure);
            Assert.Equal(document is null, failure != RevocationListFailure.None);
        }
    }

    private static RevocationListFailure Decode(byte[] payload)
    {
        RevocationListDocument.TryDecode(payload, out var failure);
        return failure;
    }

    /// <summary>Re-encodes a one-kid VECTOR list by hand, with one thing changed.</summary>
    private static byte[] Payload(RevocationListDocument list, bool moveX = false, string format = RevocationListDocument.Format, bool repeatVersion = false)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(repeatVersion ? 8 : 7);
        w.WriteTextString("fmt"); w.WriteTextString(format);
        w.WriteTextString("iss"); w.WriteTextString("VN");
        w.WriteTextString("ver"); w.WriteInt64(list.Version);
        if (repeatVersion) { w.WriteTextString("ver"); w.WriteInt64(list.Version + 1); }
        w.WriteTextString("since"); w.WriteInt64(0);
        w.WriteTextString("iat"); w.WriteInt64(Now.ToUnixTimeSeconds());
        w.WriteTextString("pub");
        w.WriteStartArray(list.Publications.Count);
        foreach (var p in list.Publications)
        {
            w.WriteStartArray(3);
            w.WriteByteString(Convert.FromHexString(p.KeyIdHex));
            w.WriteTextString(RevocationListDocument.TypeName(p.Type));
            w.WriteTextString(RevocationListDocument.ModeName(p.Mode));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteTextString("parts");
        var parts = list.Partitions.Take(1).ToList();
        w.WriteStartArray(parts.Count);
        foreach (var p in parts)
        {
            w.WriteStartArray(6);
            w.WriteByteString(Convert.FromHexString(p.Key.KeyIdHex));
            w.WriteTextString(RevocationListDocument.TypeName(p.Key.Type));
            w.WriteInt32(moveX ? (p.Key.X!.Value + 1) % 256 : p.Key.X!.Value);
            w.WriteNull();
            w.WriteInt64(p.Expires.ToUnixTimeSeconds());
            w.WriteByteString(p.Hashes.SelectMany(h => h).ToArray());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }
}
