using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Chain;
using VaxCert.Core.Decoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Inspection;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Chain;

/// <summary>
/// docs/format.md's worked example is a real certificate and the code's dump of it: the HC1 must still decode to exactly the
/// annotated bytes printed there, carry the documented claims, and verify at both levels with the committed dev keys.
/// </summary>
public sealed class FormatDocExampleTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "format.md"));

    // The fenced block that follows an HTML comment marker in the doc.
    private static string Block(string marker)
    {
        var at = Doc.IndexOf($"<!-- {marker} -->", StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/format.md lost its '{marker}' marker");
        var open = Doc.IndexOf("```\n", at, StringComparison.Ordinal) + 4;
        var close = Doc.IndexOf("```", open, StringComparison.Ordinal);
        return Doc[open..close];
    }

    private static string Hc1 => Block("example-hc1").Replace("\n", "", StringComparison.Ordinal);

    [Fact]
    public void The_documented_dump_is_what_the_code_prints_for_the_documented_HC1()
    {
        var dump = Hc1Anatomy.Describe(Hc1, out var failure);
        Assert.True(dump is not null, "the documented HC1 no longer decodes: " + failure);
        Assert.Equal(Block("example-dump"), dump);
    }

    [Fact]
    public void The_documented_HC1_carries_the_documented_claims_and_verifies_at_both_levels()
    {
        var decoded = Hc1Decoder.Decode(Hc1);
        Assert.True(decoded.Success, decoded.Failure.ToString());
        var claims = decoded.Claims!;
        Assert.Equal("KR", claims.Nationality);
        Assert.True(FacilityAttestation.TryDecodeClaim(claims.FacilityAttestation!.Value, out var attestation));
        Assert.Equal(AttestationForm.Full, attestation!.Form);
        Assert.Equal(CoseAlgorithm.ES256, attestation.Algorithm);
        Assert.Equal("sEC6FCxy9L4=", Convert.ToBase64String(attestation.KeyId));
        Assert.Equal(1 + 1 + 9 + 1 + 2 + 64, claims.FacilityAttestation!.Value.Length); // array head, form, kid, alg, bstr(64) head + r‖s: "78-byte"
        var hn001 = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate("HN001")));
        Assert.Equal(KeyIdentifier.For(hn001), attestation.KeyId);

        var dsc = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate));
        var verifier = new TwoLevelVerifier([dsc], new FacilityAttestationVerifier(FacilityTrust.LoadDirectory(RepoPaths.KeysDev)));
        Assert.Equal(new ChainVerification(ChainLevel.None, null, FacilityCheck.Valid), verifier.Verify(Hc1, claims.IssuedAt!.Value));
    }
}
