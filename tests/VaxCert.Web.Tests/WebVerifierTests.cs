using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Issuing.Qr;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Web.Tests;

/// <summary>
/// The border-desk page (web/verifier) in headless Chromium against real certificates issued with the committed dev
/// keys (keys-dev), which the page trusts through its generated trust-dev.js.
/// </summary>
public class WebVerifierTests
{
    private static readonly VaccinationRecord Record = SampleRecords.Create(seed: 14) with
    {
        FamilyName = "Nguyễn",
        GivenName = "Thị Minh Khai",
        VaccineProduct = "EU/1/20/1528",
        Manufacturer = "ORG-100030215",
        VaccineType = "1119349007",
    };

    private static IssuedCertificate Issue(ICoseSigner signer, TimeProvider? time = null)
    {
        var result = Hc1Issuer.Create(signer, time: time).Issue(Record);
        Assert.True(result.Succeeded, result.Message);
        return result.Certificate!;
    }

    private static SoftwareCoseSigner DevSigner(string alg) => SoftwareCoseSigner.FromPemFiles(
        Path.Combine(RepoPaths.KeysDev, $"dsc-{alg}.crt.pem"), Path.Combine(RepoPaths.KeysDev, $"dsc-{alg}.key.pem"));

    [Theory]
    [InlineData("es256")]
    [InlineData("ps256")]
    public void Dev_certificate_shows_valid_with_the_name_and_display_names(string alg)
    {
        using var signer = DevSigner(alg);
        var answer = VerifierPage.CheckText(Issue(signer).Hc1);

        Assert.Equal(("VALID", "None"), (answer.Outcome, answer.Reason));
        Assert.Equal("true", answer.DataTrusted);
        Assert.Contains("Nguyễn Thị Minh Khai", answer.ResultText);
        Assert.Contains("HỢP LỆ", answer.ResultText);
        Assert.Contains("Comirnaty (EU/1/20/1528)", answer.ResultText);
        Assert.Contains("Biontech Manufacturing GmbH", answer.ResultText);
        Assert.Contains(Record.CertificateId, answer.ResultText);
    }

    [Fact]
    public void One_flipped_signature_byte_shows_invalid_with_the_signature_reason_and_untrusted_data()
    {
        using var signer = DevSigner("es256");
        var cose = Issue(signer).Cose;
        cose[^1] ^= 0x01; // the COSE_Sign1 ends with the signature bytes
        var tampered = ContextPrefix.Add(Base45.Encode(Zlib.Compress(cose)));

        var answer = VerifierPage.CheckText(tampered);

        Assert.Equal(("INVALID", "SignatureInvalid"), (answer.Outcome, answer.Reason));
        Assert.Contains("KHÔNG HỢP LỆ", answer.ResultText);
        Assert.Contains("The signature does not match", answer.ResultText);
        Assert.Contains("Chữ ký không khớp", answer.ResultText);
        Assert.Equal("false", answer.DataTrusted);
        Assert.Contains("UNVERIFIED DATA", answer.ResultText);
    }

    [Fact]
    public void Signer_missing_from_the_trust_list_is_indeterminate_unknown_signer()
    {
        using var stranger = TestPki.CreateSoftwareSigner(CoseAlgorithm.ES256);
        var answer = VerifierPage.CheckText(Issue(stranger).Hc1);

        Assert.Equal(("INDETERMINATE", "KidUnknown"), (answer.Outcome, answer.Reason));
        Assert.Contains("Unknown signer", answer.ResultText);
        Assert.Contains("Không rõ người ký", answer.ResultText);
        Assert.Equal("false", answer.DataTrusted);
    }

    [Fact]
    public void Expired_certificate_shows_invalid_with_the_expiry_reason()
    {
        // Issued 13 months ago with the default 12-month validity (the dev DSC is valid 2024-2030, so iat is inside it).
        using var signer = DevSigner("es256");
        var issued = Issue(signer, new FixedTimeProvider(DateTimeOffset.UtcNow.AddMonths(-13)));
        Assert.True(issued.ExpiresAt < DateTimeOffset.UtcNow);

        var answer = VerifierPage.CheckText(issued.Hc1);

        Assert.Equal(("INVALID", "CwtExpired"), (answer.Outcome, answer.Reason));
        Assert.Contains("The certificate has expired", answer.ResultText);
        Assert.Contains("Chứng nhận đã hết hạn", answer.ResultText);
        Assert.Equal("false", answer.DataTrusted);
    }

    [Fact]
    public void Png_qr_image_is_decoded_and_verified()
    {
        using var signer = DevSigner("es256");
        var png = QrRenderer.RenderPng(Issue(signer).Hc1).Content;

        var answer = VerifierPage.CheckPng(png);

        Assert.Equal(("VALID", "None"), (answer.Outcome, answer.Reason));
        Assert.Contains("Nguyễn Thị Minh Khai", answer.ResultText);
    }

    [Fact]
    public void Image_without_a_qr_code_gives_a_typed_reason()
    {
        // A valid 1x1 PNG: the image decodes, but it holds no QR code.
        var noQr = Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==");

        var answer = VerifierPage.CheckPng(noQr);

        Assert.Equal(("INDETERMINATE", "QrNotFound"), (answer.Outcome, answer.Reason));
    }

    [Theory]
    [InlineData("not a certificate <img src=x onerror=alert(1)>", "INVALID", "PrefixMissing")]
    [InlineData("HC1:abc", "INVALID", "Base45InvalidCharacter")]
    [InlineData("HC1:6BFOXN*TS0BI$ZD", "INVALID", "ZlibInvalid")]
    [InlineData("HC2:6BFOXN", "INVALID", "PrefixUnsupported")]
    public void Hostile_or_broken_text_ends_as_a_typed_reason_without_data(string text, string outcome, string reason)
    {
        var answer = VerifierPage.CheckText(text);

        Assert.Equal((outcome, reason), (answer.Outcome, answer.Reason));
        Assert.Null(answer.DataTrusted);
        Assert.DoesNotContain("onerror", answer.Dom);
    }

    [Fact]
    public void Oversized_input_is_refused_before_decoding()
    {
        var answer = VerifierPage.CheckText("HC1:" + new string('0', 5000));
        Assert.Equal(("INVALID", "InputTooLong"), (answer.Outcome, answer.Reason));
    }
}
