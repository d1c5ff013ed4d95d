using Google.Protobuf;
using VaxCert.Core.Signing;
using VaxCert.Grpc.V1;
using VaxCert.Server.Issuance;

namespace VaxCert.Server.Tests.Support;

/// <summary>What a facility client puts on the wire for a co-signed record.</summary>
internal static class Requests
{
    public static IssueRequest From(CoSignedRecord s, IssueOptions? options = null)
    {
        var r = s.Record;
        return new IssueRequest
        {
            FacilityCode = s.FacilityCode, FacilityRecordId = s.FacilityRecordId,
            FamilyName = r.FamilyName, GivenName = r.GivenName, DateOfBirth = r.DateOfBirth, Nationality = r.Nationality,
            TargetedDisease = r.TargetedDisease, TotalDoses = r.TotalDoses, DateOfVaccination = r.DateOfVaccination.ToString("yyyy-MM-dd"),
            DoseNumber = r.DoseNumber, VaccineType = r.VaccineType, VaccineProduct = r.VaccineProduct, Manufacturer = r.Manufacturer,
            CertificateId = r.CertificateId,
            Attestation = new FacilityAttestation
            {
                Kid = ByteString.CopyFrom(s.Attestation.KeyId),
                Algorithm = s.Attestation.Algorithm == CoseAlgorithm.ES256 ? SignatureAlgorithm.Es256 : SignatureAlgorithm.Ps256,
                Signature = ByteString.CopyFrom(s.Attestation.Value),
            },
            Options = options,
        };
    }

    /// <summary>A batch of <paramref name="count"/> valid HN001 records starting at <paramref name="firstSeed"/>.</summary>
    public static IssueBatchRequest Batch(int firstSeed, int count)
    {
        var batch = new IssueBatchRequest();
        batch.Records.AddRange(Enumerable.Range(firstSeed, count).Select(seed => From(Submissions.Valid(seed))));
        return batch;
    }
}
