using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using VaxCert.Testing;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Schema;

namespace VaxCert.Verifier.Tests;

public sealed class RevocationAndSchemaTests
{
    [Fact]
    public void Hashes_follow_the_eu_rules()
    {
        var uci = "URN:UVCI:01:VN:HN/ABC123#X";
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(uci))[..16], RevocationHashes.Uci(uci));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("VN" + uci))[..16], RevocationHashes.CountryCodeUci("VN", uci));
        var signature = RandomNumberGenerator.GetBytes(64);
        Assert.Equal(SHA256.HashData(signature[..32])[..16], RevocationHashes.Signature(-7, signature));
        var rsa = RandomNumberGenerator.GetBytes(256);
        Assert.Equal(SHA256.HashData(rsa)[..16], RevocationHashes.Signature(-37, rsa));
    }

    [Fact]
    public void Revoked_by_country_uci_and_by_signature_even_after_s_is_negated()
    {
        var hc1 = new Hc1Builder { Signer = TestSigners.Es256 }.Build();
        var cose = Hc1.DecodeCose(hc1);
        var signature = cose[^64..];
        var byCountry = new RevocationList.Builder().Add(RevocationHashType.CountryCodeUci, RevocationHashes.CountryCodeUci("VN", "URN:UVCI:01:VN:HN/ABC123#X")).Build();
        Assert.Equal(ReasonCode.Revoked, TestSigners.Verifier(new VerifierOptions { Revocation = byCountry }).Verify(hc1).Reason);
        var bySignature = new RevocationList.Builder().Add(RevocationHashType.Signature, RevocationHashes.Signature(-7, signature)).Build();
        var verifier = TestSigners.Verifier(new VerifierOptions { Revocation = bySignature });
        Assert.Equal(ReasonCode.Revoked, verifier.Verify(hc1).Reason);
        // s' = n - s is an equally valid ECDSA signature; the r-only hash still catches it.
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var negated = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var malleated = (byte[])cose.Clone();
        Array.Clear(malleated, malleated.Length - 32, 32);
        negated.CopyTo(malleated, malleated.Length - negated.Length);
        var result = verifier.Verify(Hc1Builder.Wrap(malleated));
        Assert.True(result[VerificationStage.Signature].Passed, "the malleated signature must still verify for this test to mean anything");
        Assert.Equal(ReasonCode.Revoked, result.Reason);
        Assert.True(TestSigners.Verifier(new VerifierOptions { Revocation = RevocationList.Empty }).Verify(hc1).IsValid);
    }

    [Fact]
    public void A_million_entries_are_all_found_and_others_are_not()
    {
        var random = new Random(20260301);
        var builder = new RevocationList.Builder().Reserve(RevocationHashType.Uci, 1_000_000);
        var sample = new HashSet<string>();
        var hash = new byte[16];
        for (var i = 0; i < 1_000_000; i++)
        {
            random.NextBytes(hash);
            builder.Add(RevocationHashType.Uci, hash);
            if (i % 997 == 0) sample.Add(Convert.ToHexString(hash));
        }
        var list = builder.Build();
        Assert.Equal(1_000_000, list.Count);
        foreach (var hex in sample)
            Assert.True(list.Contains(RevocationHashType.Uci, Convert.FromHexString(hex)));
        var probe = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            probe.NextBytes(hash);
            Assert.False(list.Contains(RevocationHashType.Signature, hash)); // other type: empty
            // A random 128-bit value colliding with one of 10^6 entries has probability ~10^-33.
            Assert.False(list.Contains(RevocationHashType.Uci, hash));
        }
    }

    [Fact]
    public void Embedded_schemas_and_device_list_equal_the_shared_reference_files()
    {
        foreach (var version in DccSchemas.Versions)
        {
            var shared = Directory.GetFiles(Path.Combine(RepoPaths.EuDcc, "schema", "by-version", version), "*.json").Single();
            Assert.Equal(File.ReadAllText(shared), DccSchemas.ReadResource(DccSchemas.ResourceName(version)));
        }
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.EuDcc, "valuesets", "test-manf-example.json")),
            DccSchemas.ReadResource(ValueSetCheck.TestDeviceResource));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.EuDcc, "schema", "DCC.combined-schema.json")),
            DccSchemas.ReadResource(DccSchemas.ResourceName(DccSchemas.Latest)));
    }

    public static TheoryData<string, bool> SchemaFixtures()
    {
        var data = new TheoryData<string, bool>();
        foreach (var kind in new[] { "valid", "invalid" })
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.EuDcc, "schema", "test", kind), "*.json").Order())
                data.Add(Path.GetRelativePath(RepoPaths.EuDcc, file), kind == "valid");
        return data;
    }

    [Theory]
    [MemberData(nameof(SchemaFixtures))]
    public void Upstream_schema_fixtures_are_judged_as_upstream_says(string relativePath, bool valid)
    {
        var dcc = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.EuDcc, relativePath)))!;
        dcc["ver"] = "1.3.3"; // the fixtures belong to the 1.3.3 schema whatever ver they carry
        Assert.Equal(valid, DccSchemas.Validate(dcc, out var error));
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void Upstream_schema_examples_pass()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.EuDcc, "schema", "examples"), "*.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var failures = files.Select(f => (f, dcc: JsonNode.Parse(File.ReadAllText(f)) as JsonObject))
            .Where(x => x.dcc is not null && !DccSchemas.Validate(x.dcc, out _)).Select(x => x.f).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
