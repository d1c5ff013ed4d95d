using System.Globalization;
using VaxCert.Core.Chain;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using Grpc.Core;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.V1;
using VaxCert.Server.Issuance;
using Refusal = VaxCert.Server.Issuance.Refusal;

namespace VaxCert.Server.Grpc;

/// <summary>
/// Turns an untrusted <see cref="IssueRequest"/> into a <see cref="CoSignedRecord"/>. Only wire-level shape is checked here
/// (dates parse, attestation present); the record rules are the issuer's. Failures are <see cref="Refusal"/>s, never exceptions.
/// </summary>
internal static class IssueRequestMapper
{
    public static (CoSignedRecord? Submission, Refusal? Refusal) Map(IssueRequest request)
    {
        if (!DateOnly.TryParseExact(request.DateOfVaccination, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Invalid(ReasonCodes.Format, "date_of_vaccination", "date_of_vaccination must be YYYY-MM-DD");
        if (request.Attestation is not { } a)
            return Invalid(ReasonCodes.Required, "attestation", "attestation is required");
        var kid = a.SignerCase switch
        {
            VaxCert.Grpc.V1.FacilityAttestation.SignerOneofCase.Kid when a.Kid.Length == KeyIdentifier.Length => a.Kid.ToByteArray(),
            VaxCert.Grpc.V1.FacilityAttestation.SignerOneofCase.CertificateDer when a.CertificateDer.Length > 0 => KeyIdentifier.For(a.CertificateDer.Span),
            _ => null,
        };
        if (kid is null)
            return Invalid(ReasonCodes.Required, "attestation.kid", $"attestation needs a {KeyIdentifier.Length}-byte kid or a certificate_der");
        var algorithm = a.Algorithm switch
        {
            SignatureAlgorithm.Es256 => CoseAlgorithm.ES256,
            SignatureAlgorithm.Ps256 => CoseAlgorithm.PS256,
            _ => (CoseAlgorithm?)null,
        };
        if (algorithm is null)
            return Invalid(ReasonCodes.Required, "attestation.algorithm", "attestation.algorithm must be ES256 or PS256");
        if (a.Signature.IsEmpty)
            return Invalid(ReasonCodes.Required, "attestation.signature", "attestation.signature is required");
        var record = new VaccinationRecord
        {
            FamilyName = request.FamilyName, GivenName = request.GivenName, DateOfBirth = request.DateOfBirth,
            Nationality = request.Nationality, TargetedDisease = request.TargetedDisease, TotalDoses = request.TotalDoses,
            DateOfVaccination = date, DoseNumber = request.DoseNumber, VaccineType = request.VaccineType,
            VaccineProduct = request.VaccineProduct, Manufacturer = request.Manufacturer, CertificateId = request.CertificateId,
        };
        var attestation = new Core.Chain.FacilityAttestation { KeyId = kid, Algorithm = algorithm.Value, Value = a.Signature.ToByteArray() };
        return (new CoSignedRecord(request.FacilityCode, request.FacilityRecordId, record, attestation), null);
    }

    private static (CoSignedRecord?, Refusal?) Invalid(string reason, string field, string message) =>
        (null, new Refusal(RefusalKind.InvalidRequest, reason, field, message));
}

/// <summary>Refusals and failures as gRPC statuses: status code, reason code and the proto field at fault.</summary>
internal static class RefusalStatus
{
    /// <summary>The proto field of a refusal ("DateOfBirth" becomes "date_of_birth"; proto paths pass unchanged).</summary>
    public static string Field(Refusal refusal) =>
        refusal.Field is null ? "" : refusal.Field.Contains('_') || refusal.Field.Contains('.') || refusal.Field.All(char.IsLower)
            ? refusal.Field : ReasonCodes.ToSnake(refusal.Field);

    public static StatusCode CodeOf(RefusalKind kind) => kind switch
    {
        RefusalKind.InvalidRequest => StatusCode.InvalidArgument,
        RefusalKind.AttestationRejected => StatusCode.PermissionDenied,
        RefusalKind.Conflict => StatusCode.AlreadyExists,
        RefusalKind.SignerUnavailable => StatusCode.Unavailable,
        _ => StatusCode.FailedPrecondition,
    };

    /// <summary>The exception that fails a call with this refusal; the message names the field and the reason.</summary>
    public static RpcException ToException(Refusal refusal)
    {
        var field = Field(refusal);
        var message = field.Length > 0 ? $"{field}: {refusal.Reason}: {refusal.Message}" : $"{refusal.Reason}: {refusal.Message}";
        return GrpcErrors.Create(CodeOf(refusal.Kind), message, refusal.Reason, field.Length > 0 ? field : null);
    }

    /// <summary>The refusal as a batch result entry.</summary>
    public static VaxCert.Grpc.V1.Refusal ToProto(Refusal refusal) =>
        new() { Reason = refusal.Reason, Field = Field(refusal), Message = refusal.Message };
}
