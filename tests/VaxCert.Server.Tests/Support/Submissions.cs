using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Server.Issuance;
using VaxCert.Testing;

namespace VaxCert.Server.Tests.Support;

/// <summary>Facility-co-signed submissions made with the committed keys-dev facility keys.</summary>
internal static class Submissions
{
    private static readonly Lazy<Dictionary<string, SoftwareCoseSigner>> Facilities = new(() =>
        new[] { "HN001", "HCM01", "DN001", "HP001" }.ToDictionary(code => code, code => SoftwareCoseSigner.FromPemFiles(
            Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityCertificate(code)), Path.Combine(RepoPaths.KeysDev, DevPkiLayout.FacilityKey(code)))));

    /// <summary>The facility signer of <paramref name="code"/> (keys-dev).</summary>
    public static SoftwareCoseSigner Facility(string code) => Facilities.Value[code];

    /// <summary>A valid record of <paramref name="facility"/>, co-signed by that facility; deterministic per seed.</summary>
    public static CoSignedRecord Valid(int seed, string facility = "HN001", string? recordId = null) =>
        CoSign(SampleRecords.Create(new Random(seed), facility), facility, recordId ?? $"R-{seed}");

    /// <summary>Co-signs <paramref name="record"/> with <paramref name="signer"/> (the facility's key unless given).</summary>
    public static CoSignedRecord CoSign(VaccinationRecord record, string facility, string recordId, ICoseSigner? signer = null)
    {
        var dcc = DccMapper.EncodeDcc(record, IssuerSettings.Default) ?? throw new ArgumentException("names cannot be transliterated");
        return new CoSignedRecord(facility, recordId, record, FacilityAttestation.Create(signer ?? Facility(facility), dcc, record.Nationality));
    }
}
