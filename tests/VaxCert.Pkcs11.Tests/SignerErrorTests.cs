using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Signing;
using Net.Pkcs11Interop.Common;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Signing;
using VaxCert.Testing;

namespace VaxCert.Pkcs11.Tests;

/// <summary>Each configuration or authentication problem gives its own typed error and never leaks the PIN.</summary>
public class SignerErrorTests : IClassFixture<SoftHsm>
{
    private readonly SoftHsm _hsm;

    public SignerErrorTests(SoftHsm hsm)
    {
        _hsm = hsm;
        // xunit makes one instance per test; the fixture's token needs the key only once.
        lock (Provisioned)
            if (Provisioned.Add(hsm.TokenLabel))
                hsm.ProvisionEc("good-key", 0x11);
    }

    private static readonly HashSet<string> Provisioned = [];

    [Fact]
    public void Wrong_pin_is_an_authentication_failure_naming_the_pin_state()
    {
        const string wrongPin = "00000000";
        var e = Assert.Throws<SigningException>(() =>
            Pkcs11CoseSigner.Open(_hsm.SignerOptions("good-key") with { Pin = PinSource.FromBytes("00000000"u8) }));
        Assert.Equal(SigningFailure.AuthenticationFailed, e.Failure);
        Assert.Equal(CKR.CKR_PIN_INCORRECT, Assert.IsType<Pkcs11Exception>(e.InnerException).RV);
        Assert.Contains("CKR_PIN_INCORRECT", e.Message);
        Assert.Contains("token PIN state:", e.Message);
        Assert.DoesNotContain(wrongPin, e.ToString());
        Assert.DoesNotContain(_hsm.UserPin, e.ToString());
    }

    [Fact]
    public void Missing_key_is_a_configuration_error()
        => AssertLookupFailure(_hsm.SignerOptions("no-such-key"), SigningFailure.Misconfigured, LookupFailure.KeyNotFound);

    [Fact]
    public void Wrong_token_label_reports_token_not_found()
        => AssertLookupFailure(_hsm.SignerOptions("good-key") with { Token = new TokenSelector("no-such-token") },
            SigningFailure.Unavailable, LookupFailure.TokenNotFound);

    [Fact]
    public void Certificate_for_another_key_is_refused_at_start()
    {
        var pin = System.Text.Encoding.UTF8.GetBytes(_hsm.UserPin);
        using (var session = _hsm.Module.OpenSession(_hsm.Token.SlotId, readWrite: true))
        {
            session.LoginWith(CKU.CKU_USER, pin);
            using var pair = TokenKeyGenerator.Generate(session, TokenKeyType.EcP256, "mismatched-key", [0x12]);
            using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var foreign = DevCertificateIssuer.Issue(otherKey, "CN=someone else", issuer: null);
            CertificateImporter.Import(session, foreign, "mismatched-key", [0x12]);
        }
        AssertLookupFailure(_hsm.SignerOptions("mismatched-key"), SigningFailure.Misconfigured, LookupFailure.CertificateMismatch);
    }

    [Fact]
    public void Key_without_certificate_is_refused_at_start()
    {
        using (var session = _hsm.Module.OpenSession(_hsm.Token.SlotId, readWrite: true))
        {
            session.LoginWith(CKU.CKU_USER, System.Text.Encoding.UTF8.GetBytes(_hsm.UserPin));
            TokenKeyGenerator.Generate(session, TokenKeyType.EcP256, "no-cert-key", [0x13]).Dispose();
        }
        AssertLookupFailure(_hsm.SignerOptions("no-cert-key"), SigningFailure.Misconfigured, LookupFailure.CertificateNotFound);
    }

    [Fact]
    public void Missing_module_is_a_configuration_error()
    {
        var e = Assert.Throws<SigningException>(() =>
            Pkcs11CoseSigner.Open(_hsm.SignerOptions("good-key") with { ModulePath = "/nonexistent/libpkcs11.so" }));
        Assert.Equal(SigningFailure.Misconfigured, e.Failure);
    }

    [Fact]
    public void Empty_pin_source_is_an_authentication_failure()
    {
        var e = Assert.Throws<SigningException>(() =>
            Pkcs11CoseSigner.Open(_hsm.SignerOptions("good-key") with { Pin = PinSource.FromEnvironment("VAXCERT_UNSET_" + Guid.NewGuid().ToString("N")) }));
        Assert.Equal(SigningFailure.AuthenticationFailed, e.Failure);
    }

    private static void AssertLookupFailure(Pkcs11SignerOptions options, SigningFailure failure, LookupFailure lookup)
    {
        var e = Assert.Throws<SigningException>(() => Pkcs11CoseSigner.Open(options));
        Assert.Equal(failure, e.Failure);
        Assert.Equal(lookup, Assert.IsType<Pkcs11LookupException>(e.InnerException).Failure);
    }
}
