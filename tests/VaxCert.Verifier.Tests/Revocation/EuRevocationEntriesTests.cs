using System.Formats.Cbor;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Digests;
using VaxCert.Core.Issuance;
using VaxCert.Core.Signing;
using VaxCert.Testing;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Verifier.Tests.Revocation;

/// <summary>EU revocation hashes of the EU test certificates, and kid-partitioned lists in the verifier.</summary>
public sealed class EuRevocationEntriesTests
{
    [Fact]
    public void Hashes_of_the_EU_test_certificates_match_BouncyCastle_and_Python_hashlib()
    {
        // (what was hashed, our 16 bytes): the inputs come from our own reading of the vector's COSE and JSON, not from
        // the code under test; each is then hashed by BouncyCastle here and by Python's hashlib in one batch below.
        var pairs = new List<(byte[] Input, byte[] Ours)>();
        var checkedVectors = 0;
        foreach (var vector in EuVector.All())
        {
            if (vector.Field("PREFIX") is not { } hc1 || vector.Field("COSE") is not { } coseHex || vector.Dcc is not { } dcc) continue;
            var entries = RevocationEntries.FromHc1(hc1, out _);
            if (entries is null || !TryReadIndependently(Convert.FromHexString(coseHex), out var alg, out var kid, out var iss, out var signature))
                continue; // vectors that are meant not to decode (bad Base45, zlib, CBOR) have no hashes to compare
            if (entries.KeyId is not null) Assert.Equal(kid, entries.KeyId);
            // SIGNATURE: ES256 (-7) hashes r only, the first half of the 64-byte IEEE P1363 signature.
            pairs.Add((alg == -7 ? signature[..(signature.Length / 2)] : signature, entries.Signature));
            var ci = SingleCi(dcc);
            Assert.Equal(ci is null, entries.Uci is null);
            Assert.Equal(ci is null || iss is null, entries.CountryCodeUci is null);
            if (ci is not null) pairs.Add((Encoding.UTF8.GetBytes(ci), entries.Uci!));
            if (ci is not null && iss is not null) pairs.Add((Encoding.UTF8.GetBytes(iss + ci), entries.CountryCodeUci!));
            checkedVectors++;
        }
        Assert.True(checkedVectors >= 60, $"only {checkedVectors} EU vectors compared");
        Assert.All(pairs, p => Assert.Equal(BouncySha256First16(p.Input), p.Ours));

        var python = ExternalTool.RequireOnPath("python3", "Install Python 3 (hashlib is in its standard library).");
        var (exit, stdout, stderr) = ExternalTool.Run(python,
            ["-c", "import hashlib,sys\nfor line in sys.stdin.read().split():\n    print(hashlib.sha256(bytes.fromhex(line)).hexdigest()[:32])"],
            stdin: string.Join("\n", pairs.Select(p => Convert.ToHexString(p.Input))));
        Assert.True(exit == 0, stderr);
        Assert.Equal(pairs.Select(p => Convert.ToHexStringLower(p.Ours)), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Kid_partitioned_lists_revoke_in_the_verifier_only_under_the_signing_kid_and_only_while_in_force()
    {
        var now = Clock.Now;
        var issuer = Hc1Issuer.Create(TestSigners.Es256, time: new FixedTime(now.AddDays(-3)));
        var otherIssuer = Hc1Issuer.Create(TestSigners.Ps256, time: new FixedTime(now.AddDays(-3)));
        var revoked = issuer.Issue(SampleRecords.Create(1)).Certificate!;
        var bySignature = issuer.Issue(SampleRecords.Create(2)).Certificate!;
        var untouched = issuer.Issue(SampleRecords.Create(3)).Certificate!;
        var sameUciOtherKid = otherIssuer.Issue(SampleRecords.Create(1)).Certificate!; // same record, same UCI, other signer

        var es256Kid = TestSigners.Es256.KeyId.Span;
        var list = new PartitionedRevocationList.Builder()
            .Publish(es256Kid, RevocationHashType.Uci, RevocationPartitionMode.Coordinate)
            .Publish(es256Kid, RevocationHashType.Signature, RevocationPartitionMode.Vector)
            .Add(es256Kid, RevocationHashType.Uci, Entries(revoked.Hc1).Uci, now.AddMonths(6))
            .Add(es256Kid, RevocationHashType.Signature, Entries(bySignature.Hc1).Signature, now.AddMonths(6))
            .Build();
        Assert.Equal(2, list.Partitions.Count());
        Assert.Contains(list.Partitions, p => p.Key.Type == RevocationHashType.Uci && p.Key.X is not null && p.Key.Y is not null);

        var verifier = TestSigners.Verifier(new VerifierOptions { AdditionalChecks = [new PartitionedRevocationCheck(list)] });
        Assert.Equal(ReasonCode.Revoked, verifier.Verify(revoked.Hc1).Reason);
        Assert.Equal(ReasonCode.Revoked, verifier.Verify(bySignature.Hc1).Reason);
        Assert.False(verifier.Verify(revoked.Hc1).IsValid);
        Assert.True(verifier.Verify(untouched.Hc1).IsValid);
        Assert.True(verifier.Verify(sameUciOtherKid.Hc1).IsValid, "a UCI revoked under one kid must not revoke another kid's certificate");

        // After the partition's expiry the entry no longer counts (its certificates have expired by then).
        Assert.False(list.IsRevoked(Entries(revoked.Hc1), now.AddMonths(7)));
        Assert.True(list.IsRevoked(Entries(revoked.Hc1), now.AddMonths(5)));
    }

    [Fact]
    public void Revoke_uses_every_type_the_kid_publishes_and_undeclared_kids_are_refused()
    {
        var certificate = Hc1Issuer.Create(TestSigners.Es256, time: new FixedTime(Clock.Now.AddDays(-1))).Issue(SampleRecords.Create(7)).Certificate!;
        var entries = Entries(certificate.Hc1);
        var builder = new PartitionedRevocationList.Builder()
            .Publish(TestSigners.Es256.KeyId.Span, RevocationHashType.CountryCodeUci, RevocationPartitionMode.Point)
            .Revoke(entries, Clock.Now.AddYears(1));
        var list = builder.Build();
        Assert.True(list.IsRevoked(entries, Clock.Now));
        Assert.Equal([(new RevocationPartitionKey(Convert.ToHexStringLower(TestSigners.Es256.KeyId.Span), RevocationHashType.CountryCodeUci, null, null))],
            list.Partitions.Select(p => p.Key));
        Assert.Throws<InvalidOperationException>(() => new PartitionedRevocationList.Builder().Revoke(entries, Clock.Now));
        Assert.Throws<InvalidOperationException>(() => new PartitionedRevocationList.Builder()
            .Add(TestSigners.Es256.KeyId.Span, RevocationHashType.Uci, entries.Uci, Clock.Now));
    }

    private static RevocationEntries Entries(string hc1) => RevocationEntries.FromHc1(hc1, out _)!;

    private static byte[] BouncySha256First16(byte[] data)
    {
        var digest = new Sha256Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output[..16];
    }

    /// <summary>The ci of the single v/t/r entry of the vector's own JSON (not our CBOR decoding).</summary>
    private static string? SingleCi(JsonObject dcc)
    {
        var groups = new[] { "v", "t", "r" }.Where(g => dcc[g] is JsonArray { Count: > 0 }).ToList();
        return groups.Count == 1 && dcc[groups[0]] is JsonArray { Count: 1 } a && a[0]?["ci"] is JsonValue v && v.TryGetValue(out string? ci) ? ci : null;
    }

    /// <summary>COSE_Sign1 read directly with System.Formats.Cbor: alg and kid from the headers, iss from the payload.</summary>
    private static bool TryReadIndependently(byte[] cose, out int alg, out byte[]? kid, out string? iss, out byte[] signature)
    {
        (alg, kid, iss, signature) = (0, null, null, []);
        try
        {
            var r = new CborReader(cose, CborConformanceMode.Lax);
            if (r.PeekState() == CborReaderState.Tag) r.ReadTag();
            r.ReadStartArray();
            var protectedBytes = r.ReadByteString();
            var unprotected = ReadHeader(r);
            var payload = r.ReadByteString();
            signature = r.ReadByteString();
            var header = ReadHeader(new CborReader(protectedBytes, CborConformanceMode.Lax));
            alg = header.Alg ?? unprotected.Alg ?? 0;
            kid = header.Kid ?? unprotected.Kid;
            var p = new CborReader(payload, CborConformanceMode.Lax);
            if (p.PeekState() == CborReaderState.Tag) p.ReadTag();
            var count = p.ReadStartMap();
            for (var i = 0; i < count; i++)
            {
                if (p.PeekState() is CborReaderState.UnsignedInteger && p.ReadInt32() == 1 && p.PeekState() == CborReaderState.TextString) iss = p.ReadTextString();
                else p.SkipValue();
            }
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or OverflowException)
        {
            return false;
        }
    }

    private static (int? Alg, byte[]? Kid) ReadHeader(CborReader r)
    {
        if (r.BytesRemaining == 0) return (null, null);
        int? alg = null;
        byte[]? kid = null;
        var count = r.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            var label = r.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger ? r.ReadInt32() : int.MinValue;
            if (label == int.MinValue) { r.SkipValue(); r.SkipValue(); continue; }
            if (label == 1 && r.PeekState() is CborReaderState.NegativeInteger or CborReaderState.UnsignedInteger) alg = r.ReadInt32();
            else if (label == 4 && r.PeekState() == CborReaderState.ByteString) kid = r.ReadByteString();
            else r.SkipValue();
        }
        r.ReadEndMap();
        return (alg, kid);
    }
}
