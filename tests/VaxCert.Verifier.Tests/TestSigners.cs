using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;
using VaxCert.Testing;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Tests;

/// <summary>Signers shared by the tests (key generation is the slow part, so each kind is made once).</summary>
internal static class TestSigners
{
    public static readonly SoftwareCoseSigner Es256 = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.ES256, "VN DSC ES256"));
    public static readonly SoftwareCoseSigner Ps256 = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.PS256, "VN DSC PS256"));
    public static readonly SoftwareCoseSigner TestOnly = SoftwareCoseSigner.FromCertificate(
        TestPki.CreateSigner(CoseAlgorithm.ES256, "Test-only DSC", ekus: [TestPki.EkuTest]));
    /// <summary>No EKU extension: may sign every type.</summary>
    public static readonly SoftwareCoseSigner AllTypes = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.ES256, "Any-type DSC", ekus: []));
    public static readonly SoftwareCoseSigner Untrusted = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.ES256, "Stranger"));
    public static readonly SoftwareCoseSigner Future = SoftwareCoseSigner.FromCertificate(TestPki.CreateSigner(CoseAlgorithm.ES256, "Future DSC",
        notBefore: new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    public static X509Certificate2 PublicOf(SoftwareCoseSigner signer) => TestPki.PublicOnly(signer.Certificate);

    /// <summary>The trust list most tests use: every signer above except <see cref="Untrusted"/>.</summary>
    public static TrustList Trusted(DateTimeOffset? issuedAt = null, IEnumerable<X509Certificate2>? csca = null)
        => TrustList.Create([PublicOf(Es256), PublicOf(Ps256), PublicOf(TestOnly), PublicOf(AllTypes), PublicOf(Future)], issuedAt ?? Clock.Now, csca);

    public static CertificateVerifier Verifier(VerifierOptions? options = null, TrustList? trust = null)
        => new(trust ?? Trusted(), (options ?? new VerifierOptions()) with { Time = Clock.Fixed });
}
