using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Uvci;

namespace VaxCert.Testing;

/// <summary>Realistic valid Vietnamese vaccination records, deterministic per seed.</summary>
public static class SampleRecords
{
    private static readonly string[] FamilyNames =
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
    private static readonly string[] MiddleNames = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc", "Xuân", "Thu"];
    private static readonly string[] GivenNames =
        ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Khải", "Lan", "Long", "Mai", "Nga", "Phúc", "Quỳnh", "Sơn",
         "Tâm", "Thảo", "Trường", "Tuấn", "Uyên", "Vy", "Yến", "Ánh", "Ưng", "Ơn"];

    private static readonly DeterministicUvci Uvcis = new("VN");

    /// <summary>A valid record drawn from <paramref name="random"/> (vaccinated 2021-2024, one of the 8 approved vaccines).</summary>
    public static VaccinationRecord Create(Random random, string facilityCode = "79001")
    {
        var vaccine = IssuancePolicy.Default.Vaccines[random.Next(IssuancePolicy.Default.Vaccines.Count)];
        var year = random.Next(1930, 2015);
        var dob = random.Next(10) switch
        {
            0 => $"{year:D4}",
            1 => $"{year:D4}-{random.Next(1, 13):D2}",
            _ => new DateOnly(year, 1, 1).AddDays(random.Next(365)).ToString("yyyy-MM-dd"),
        };
        var total = random.Next(1, 4);
        var given = random.Next(3) == 0
            ? GivenNames[random.Next(GivenNames.Length)]
            : $"{MiddleNames[random.Next(MiddleNames.Length)]} {GivenNames[random.Next(GivenNames.Length)]}";
        return new VaccinationRecord
        {
            FamilyName = FamilyNames[random.Next(FamilyNames.Length)],
            GivenName = given,
            DateOfBirth = dob,
            Nationality = random.Next(5) == 0 ? "KR" : "VN",
            TargetedDisease = DccCodes.Covid19,
            TotalDoses = total,
            DoseNumber = random.Next(1, 4),
            DateOfVaccination = new DateOnly(2021, 3, 1).AddDays(random.Next(1200)),
            VaccineType = vaccine.VaccineTypes[0],
            VaccineProduct = vaccine.Product,
            Manufacturer = vaccine.Manufacturer,
            CertificateId = Uvcis.For(facilityCode, $"R{random.NextInt64():X}"),
        };
    }

    public static VaccinationRecord Create(int seed = 1) => Create(new Random(seed));
}
