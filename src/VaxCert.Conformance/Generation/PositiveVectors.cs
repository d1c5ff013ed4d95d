using System.Text.Json.Nodes;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Names;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;

namespace VaxCert.Conformance.Generation;

/// <summary>
/// Valid certificates issued through the production issuer (Hc1Issuer at the fixed clock): each of Viet Nam's 8 vaccines
/// with doses 1-3, full and partial dates of birth, long names with every Vietnamese diacritic, ES256 and PS256, with and
/// without the facility co-signature (claim -65538).
/// </summary>
internal static class PositiveVectors
{
    /// <summary>(family, given) names: together they use every Vietnamese vowel with every tone mark, đ/Đ, both cases.</summary>
    private static readonly (string Family, string Given)[] Names =
    [
        ("Nguyễn Đặng", "Thị Ánh Ầu Ẩu Ẫu Ậu Àn Ản Ãn Ạn"),
        ("Trần Hoàng", "Ắt Ằng Ẳng Ẵng Ặng Ấm Ếch Ềnh Ểnh Ễnh Ệnh"),
        ("Lê Phạm", "Éo Èo Ẻo Ẽo Ẹo Ích Ìn Ỉn Ĩn Ịn"),
        ("Võ Huỳnh", "Ốc Ồn Ổn Ỗn Ộn Ớt Ờn Ởn Ỡn Ợn Òa Óc Ỏn Ọc"),
        ("Đỗ Bùi", "Úc Ùn Ủn Ũn Ụn Ứt Ừng Ửng Ững Ựng"),
        ("Dương Lý", "Ýến Ỳnh Ỷnh Ỹnh Ỵnh Đức Ăn Ân Êm Ôn Ơn"),
    ];

    private static readonly string[] CoSigningFacilities = ["HN001", "HCM01", "DN001"];

    public static IEnumerable<GeneratedVector> Create(DevKeys keys, IssuerSettings settings)
    {
        var uvcis = new DeterministicUvci(settings.Country);
        var vaccines = IssuancePolicy.Default.Vaccines;
        var index = 0;
        for (var v = 0; v < vaccines.Count; v++)
            for (var dose = 1; dose <= 3; dose++, index++)
            {
                var signer = index % 2 == 0 ? (ICoseSigner)keys.Es256 : keys.Ps256;
                var facility = index / 2 % 2 == 0 ? CoSigningFacilities[index % CoSigningFacilities.Length] : null;
                var (family, given) = Names[index % Names.Length];
                var record = new VaccinationRecord
                {
                    FamilyName = family,
                    GivenName = given,
                    DateOfBirth = (index % 3) switch { 0 => $"{1950 + index}-0{1 + index % 9}-1{index % 10}", 1 => $"{1950 + index}", _ => $"{1950 + index}-1{index % 3}" },
                    Nationality = index % 5 == 4 ? "KR" : "VN",
                    TotalDoses = 2,
                    DoseNumber = dose,
                    DateOfVaccination = new DateOnly(2021, 7, 1).AddDays(70 * dose + index),
                    VaccineType = vaccines[v].VaccineTypes[0],
                    VaccineProduct = vaccines[v].Product,
                    Manufacturer = vaccines[v].Manufacturer,
                    CertificateId = uvcis.For(facility ?? "79001", $"CONF{index:D2}"),
                };
                var name = $"vn-{Slug(vaccines[v].Product)}-dose{dose}-{signer.Algorithm.ToString().ToLowerInvariant()}"
                    + (facility is null ? "" : "-cosigned");
                yield return Issue(keys, settings, signer, record, facility, name,
                    $"Valid: {vaccines[v].Name}, dose {dose}/2, dob '{record.DateOfBirth}', {signer.Algorithm}"
                    + (facility is null ? ", no facility co-signature" : $", co-signed by facility {facility}"));
            }
    }

    /// <summary>Issues <paramref name="record"/> (co-signed by <paramref name="facility"/> when given) at the fixed clock.</summary>
    public static GeneratedVector Issue(DevKeys keys, IssuerSettings settings, ICoseSigner signer, VaccinationRecord record,
        string? facility, string name, string description, Func<byte[], byte[]>? tamperFacilitySignature = null)
    {
        var issuer = Hc1Issuer.Create(signer, settings, new Running.FixedClock(GenerationClock.IssuedAt));
        var dcc = DccMapper.EncodeDcc(record, settings) ?? throw new InvalidOperationException($"{name}: name cannot be transliterated");
        var extensions = new JsonObject { ["CSCA"] = Convert.ToBase64String(keys.Csca.RawData) };
        byte[]? claim = null;
        if (facility is not null)
        {
            using var facilitySigner = keys.Facility(facility);
            var attestation = FacilityAttestation.Create(facilitySigner, dcc, record.Nationality);
            if (tamperFacilitySignature is not null) attestation = attestation with { Value = tamperFacilitySignature(attestation.Value) };
            claim = attestation.EncodeClaim();
            extensions["FACILITYCA"] = Convert.ToBase64String(keys.FacilityCa.RawData);
            extensions["FACILITYCERTIFICATE"] = Convert.ToBase64String(facilitySigner.Certificate.RawData);
        }
        var result = claim is null ? issuer.Issue(record) : issuer.Issue(record, claim);
        var issued = result.Certificate ?? throw new InvalidOperationException($"{name}: issuer refused: {result.Message}");
        var mrz = new DccMapper.MachineReadableName(IcaoTransliterator.Transliterate(record.FamilyName).Value,
            IcaoTransliterator.Transliterate(record.GivenName).Value);
        return new GeneratedVector
        {
            Name = name,
            Description = description,
            Positive = true,
            Prefix = issued.Hc1,
            DscDer = signer.Certificate.RawData,
            Dcc = DccMapper.ToJson(record, settings, mrz),
            DccCbor = issued.DccCbor,
            Cose = issued.Cose,
            Compressed = issued.Compressed,
            Extensions = extensions,
            WithImage = true,
        };
    }

    private static string Slug(string product) => new(product.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
