using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Interop;

/// <summary>
/// Proves the node peer (@pathcheck/dcc-sdk) is a trustworthy second opinion before any VaxCert output is judged by it:
/// it round-trips its own HC1, accepts EU reference vectors, and rejects wrong keys, wrong kids and bad signatures.
/// </summary>
public sealed class PeerSelfCheckTests
{
    /// <summary>The EU schema's own example vaccination DCC.</summary>
    internal static JsonObject SimpleVaccination() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(
            Path.Combine(RepoPaths.EuDcc, "schema", "examples", "vaccination", "simple.json")))!;

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.PS256)]
    public void Peer_verifies_what_it_signed_and_returns_the_same_dcc_and_claims(CoseAlgorithm algorithm)
    {
        using var key = TestPki.CreateSigner(algorithm);
        var dcc = SimpleVaccination();

        var hc1 = DccPeer.Sign(dcc, PeerPem.PrivateKeyPkcs8(key), PeerPem.Certificate(key), issuer: "VN",
            issuedAt: 1_700_000_000, expiresAt: 1_731_536_000);
        var result = DccPeer.Verify(hc1, PeerPem.Certificate(key));

        Assert.StartsWith("HC1:", hc1, StringComparison.Ordinal);
        Assert.True(result.Valid, result.Status);
        Assert.True(JsonNode.DeepEquals(dcc, result.Dcc), $"decoded {result.Dcc?.ToJsonString()}");
        Assert.Equal("VN", result.Issuer);
        Assert.Equal(1_700_000_000, result.IssuedAt);
        Assert.Equal(1_731_536_000, result.ExpiresAt);
    }

    [Fact]
    public void Peer_reports_a_certificate_whose_kid_is_not_the_signers_as_not_trusted()
    {
        using var keys = new SignerAndStranger();

        var result = DccPeer.Verify(keys.Hc1, PeerPem.Certificate(keys.Stranger));

        Assert.False(result.Valid);
        Assert.Equal("issuer_not_trusted", result.Status);
    }

    [Fact]
    public void Peer_checks_the_signature_itself_not_only_the_kid()
    {
        using var keys = new SignerAndStranger();

        // A bare public key is used for whatever kid the HC1 names, so only the signature check can reject this.
        var result = DccPeer.VerifyWithPublicKey(keys.Hc1, PeerPem.PublicKey(keys.Stranger));

        Assert.False(result.Valid);
        Assert.Equal("invalid_signature", result.Status);
        Assert.True(DccPeer.VerifyWithPublicKey(keys.Hc1, PeerPem.PublicKey(keys.Signer)).Valid);
    }

    [Theory]
    [InlineData("DE/2DCode/raw/1.json")]            // ES256, kid in the unprotected header
    [InlineData("FR/2DCode/raw/DCC_Test_0001.json")] // ES256, kid protected
    [InlineData("CH/2DCode/raw/1.json")]             // PS256, RSA-2048
    [InlineData("common/2DCode/raw/CO2.json")]       // PS256, RSA-3072
    [InlineData("IS/2DCode/raw/3.json")]             // PS256, RSA-2048
    public void Peer_verifies_EU_reference_vectors_with_their_DSC_and_decodes_their_JSON(string vectorPath)
    {
        var vector = EuVector.Load(vectorPath);
        Assert.True(vector.Expected("EXPECTEDVERIFY"), "the chosen vector must be one that verifies");

        var result = DccPeer.Verify(vector.Field("PREFIX")!, PeerPem.Certificate(vector.CertificateBase64!));

        Assert.True(result.Valid, $"{vectorPath}: {result.Status}");
        Assert.True(JsonNode.DeepEquals(vector.Dcc, result.Dcc), $"decoded {result.Dcc?.ToJsonString()}");
    }

    [Theory]
    [InlineData("common/2DCode/raw/CO5.json", "invalid_signature")]      // signature cryptographically invalid
    [InlineData("common/2DCode/raw/CO22.json", "issuer_not_trusted")]    // wrong kid in the protected header
    [InlineData("PL/1.3.0/2DCode/raw/6.json", "issuer_not_trusted")]     // signed by another DSC than the one given
    public void Peer_rejects_EU_vectors_that_must_not_verify(string vectorPath, string expectedStatus)
    {
        var vector = EuVector.Load(vectorPath);
        Assert.False(vector.Expected("EXPECTEDVERIFY"), "the chosen vector must be one that fails verification");

        var result = DccPeer.Verify(vector.Field("PREFIX")!, PeerPem.Certificate(vector.CertificateBase64!));

        Assert.False(result.Valid);
        Assert.Equal(expectedStatus, result.Status);
    }

    /// <summary>An HC1 the peer signed with one fresh ES256 key, and a second key that did not sign it.</summary>
    private sealed class SignerAndStranger : IDisposable
    {
        public X509Certificate2 Signer { get; } = TestPki.CreateSigner(CoseAlgorithm.ES256);
        public X509Certificate2 Stranger { get; } = TestPki.CreateSigner(CoseAlgorithm.ES256, "Stranger");
        public string Hc1 => _hc1 ??= DccPeer.Sign(SimpleVaccination(), PeerPem.PrivateKeyPkcs8(Signer), PeerPem.Certificate(Signer));
        private string? _hc1;

        public void Dispose()
        {
            Signer.Dispose();
            Stranger.Dispose();
        }
    }
}
