using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaxCert.Core.Chain;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;

namespace VaxCert.Issuing.Facility;

/// <summary>
/// One line of a signed bundle (JSON lines, UTF-8): the record's 11 fields WITHOUT the identity number, and the facility
/// attestation. <c>{"row":N,"record_id":"…","facility":"HN001","record":{"fn","gn","dob","nat","tg","sd","dt","dn","vp","mp",
/// "ma","ci"},"attestation":{"kid":base64,"alg":-7,"sig":base64}}</c>. See docs/facility.md.
/// </summary>
public sealed record BundleEntry(long Row, string RecordId, string Facility, VaccinationRecord Record, FacilityAttestation Attestation)
{
    /// <summary>The JSON line (no trailing newline).</summary>
    public string ToJsonLine()
    {
        var r = Record;
        var o = new JsonObject
        {
            ["row"] = Row,
            ["record_id"] = RecordId,
            ["facility"] = Facility,
            ["record"] = new JsonObject
            {
                ["fn"] = r.FamilyName, ["gn"] = r.GivenName, ["dob"] = r.DateOfBirth, ["nat"] = r.Nationality,
                ["tg"] = r.TargetedDisease, ["sd"] = r.TotalDoses, ["dt"] = r.DateOfVaccination.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["dn"] = r.DoseNumber, ["vp"] = r.VaccineType, ["mp"] = r.VaccineProduct, ["ma"] = r.Manufacturer, ["ci"] = r.CertificateId,
            },
            ["attestation"] = new JsonObject
            {
                ["kid"] = Convert.ToBase64String(Attestation.KeyId),
                ["alg"] = (int)Attestation.Algorithm,
                ["sig"] = Convert.ToBase64String(Attestation.Value),
            },
        };
        return o.ToJsonString();
    }

    /// <summary>Parses one untrusted bundle line; null (never an exception) when it is not a well-formed entry.</summary>
    public static BundleEntry? TryParse(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject o || o["record"] is not JsonObject r || o["attestation"] is not JsonObject a) return null;
            var record = new VaccinationRecord
            {
                FamilyName = Str(r, "fn"), GivenName = Str(r, "gn"), DateOfBirth = Str(r, "dob"), Nationality = Str(r, "nat"),
                TargetedDisease = Str(r, "tg"), TotalDoses = r["sd"]!.GetValue<int>(), DoseNumber = r["dn"]!.GetValue<int>(),
                DateOfVaccination = DateOnly.ParseExact(Str(r, "dt"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                VaccineType = Str(r, "vp"), VaccineProduct = Str(r, "mp"), Manufacturer = Str(r, "ma"), CertificateId = Str(r, "ci"),
            };
            var attestation = new FacilityAttestation
            {
                KeyId = Convert.FromBase64String(Str(a, "kid")),
                Algorithm = (CoseAlgorithm)a["alg"]!.GetValue<int>(),
                Value = Convert.FromBase64String(Str(a, "sig")),
            };
            return new BundleEntry(o["row"]?.GetValue<long>() ?? 0, Str(o, "record_id"), Str(o, "facility"), record, attestation);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            return null;
        }
    }

    private static string Str(JsonObject o, string key) => o[key]?.GetValue<string>() ?? throw new FormatException(key + " missing");
}
