using System.Globalization;
using System.Text;
using VaxCert.Core.Dcc;

namespace VaxCert.Issuing.Facility;

/// <summary>
/// Writes a facility export of <c>n</c> valid, deterministic rows (CSV, the documented columns) for load tests, crash tests
/// and the bench. Every row passes the row checks: a CCCD whose province, century/sex digit and birth year agree with the
/// row, an approved vaccine, doses within the policy. Record ids are <c>R0000001</c>… so a rerun can be checked row by row.
/// NOT real people: names are drawn from common Vietnamese family and given names.
/// </summary>
public static class SyntheticExport
{
    /// <summary>The CSV header (column order of docs/facility.md).</summary>
    public const string Header = "record_id,citizen_id,sex,family_name,given_name,date_of_birth,nationality,targeted_disease," +
                                 "total_doses,date_of_vaccination,dose_number,vaccine_type,vaccine_product,manufacturer,passport_number";

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
    private static readonly string[] GivenNames = ["Văn An", "Thị Lan", "Minh Khai", "Đức Hùng", "Ngọc Mai", "Quốc Bảo", "Thu Hà", "Hữu Phúc"];

    /// <summary>The record id of the 1-based row <paramref name="index"/>.</summary>
    public static string RecordId(int index) => "R" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="rows"/> rows to <paramref name="path"/> (UTF-8, no BOM).</summary>
    public static void WriteCsv(string path, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(Header);
        writer.Write('\n');
        for (var i = 1; i <= rows; i++)
        {
            writer.Write(Row(i));
            writer.Write('\n');
        }
    }

    /// <summary>The CSV line of the 1-based row <paramref name="index"/> (deterministic).</summary>
    public static string Row(int index)
    {
        var vaccines = IssuancePolicy.Default.Vaccines;
        var vaccine = vaccines[index % vaccines.Count];
        var female = index % 2 == 0;
        var year = 1930 + index % 70; // 20th century: century/sex digit 0 (male) or 1 (female)
        var dob = new DateOnly(year, 1 + index % 12, 1 + index % 28);
        // Every fifth person is a foreign national (Korean): identified by passport number, with no CCCD.
        var foreign = index % 5 == 0;
        var cccd = foreign ? "" : string.Create(CultureInfo.InvariantCulture, $"001{(female ? 1 : 0)}{year % 100:D2}{index % 1_000_000:D6}");
        var passport = foreign ? string.Create(CultureInfo.InvariantCulture, $"M{index % 100_000_000:D8}") : "";
        var total = 1 + index % 3;
        var dose = 1 + index / 3 % total;
        var vaccinated = new DateOnly(2021, 6, 1).AddDays(index % 900);
        return string.Join(',',
            RecordId(index), cccd, female ? "F" : "M", FamilyNames[index % FamilyNames.Length], GivenNames[index / 7 % GivenNames.Length],
            dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), foreign ? "KR" : "VN", "",
            total.ToString(CultureInfo.InvariantCulture), vaccinated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            dose.ToString(CultureInfo.InvariantCulture), vaccine.VaccineTypes[0], vaccine.Product, vaccine.Manufacturer, passport);
    }
}
