using VaxCert.Core.Signing;
using VaxCert.Core.Validation;

namespace VaxCert.Core.Issuance;

/// <summary>Why a certificate was not issued.</summary>
public enum IssuanceFailure
{
    None = 0,
    /// <summary>The record failed validation; see <see cref="IssuanceResult.Errors"/>.</summary>
    InvalidRecord,
    /// <summary>The signer certificate is not valid at the issue time (expired or not yet valid).</summary>
    SignerCertificateNotValid,
    /// <summary>The signer's certificate expires too soon to cover a meaningful validity period.</summary>
    SignerCertificateExpiresTooSoon,
    /// <summary>The signing key failed (token removed, PIN locked, ...); see <see cref="IssuanceResult.SigningFailure"/>.</summary>
    SigningFailed,
    /// <summary>The issued QR text would not fit in a QR code at the configured error-correction level.</summary>
    TooLargeForQr,
    /// <summary>A facility co-signature was required or present and did not check out.</summary>
    AttestationRejected,
}

/// <summary>The outcome of one issuance: a certificate, or the reasons it was refused. Never both.</summary>
public sealed record IssuanceResult
{
    private IssuanceResult() { }

    public IssuedCertificate? Certificate { get; private init; }
    public IssuanceFailure Failure { get; private init; }
    public IReadOnlyList<ValidationError> Errors { get; private init; } = [];
    public SigningFailure? SigningFailure { get; private init; }
    /// <summary>A one-line English explanation, safe for logs (no personal data, no secrets).</summary>
    public string Message { get; private init; } = "";

    public bool Succeeded => Certificate is not null;

    public static IssuanceResult Issued(IssuedCertificate certificate) => new() { Certificate = certificate, Message = "issued" };

    public static IssuanceResult Invalid(IReadOnlyList<ValidationError> errors) => new()
    {
        Failure = IssuanceFailure.InvalidRecord,
        Errors = errors,
        Message = $"record rejected: {errors.Count} problem(s): " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Rule}")),
    };

    public static IssuanceResult Refused(IssuanceFailure failure, string message, SigningFailure? signing = null) => new()
    {
        Failure = failure,
        Message = message,
        SigningFailure = signing,
    };
}
