using VaxCert.Core.Chain;
using VaxCert.Core.Model;

namespace VaxCert.Server.Issuance;

/// <summary>One record as a facility submits it: its idempotency key, the 11 fields and the facility's co-signature.</summary>
/// <param name="FacilityCode">The facility's registered code; must be the facility part of the record's UVCI.</param>
/// <param name="FacilityRecordId">The facility's own id for the record (not a personal identifier); unique per facility.</param>
/// <param name="Record">The vaccination record.</param>
/// <param name="Attestation">The facility's co-signature over the record's exact DCC bytes and nationality.</param>
public sealed record CoSignedRecord(string FacilityCode, string FacilityRecordId, VaccinationRecord Record, FacilityAttestation Attestation);
