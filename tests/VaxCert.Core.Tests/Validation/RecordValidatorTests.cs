using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Tests.Names;
using VaxCert.Core.Tests.Uvci;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;
using EuValueSets = VaxCert.Core.Dcc.ValueSets;

namespace VaxCert.Core.Tests.Validation;

public class RecordValidatorTests
{
    // 2021-09-15 10:00 in Viet Nam; 2021-09-15 03:00 UTC.
    private static readonly DateTimeOffset Now = new(2021, 9, 15, 10, 0, 0, TimeSpan.FromHours(7));
    private static readonly DateOnly Today = new(2021, 9, 15);

    private static RecordValidator Validator(DateTimeOffset? now = null) =>
        new(EuValueSets.Default, IssuancePolicy.Default, IssuerSettings.Default, new FixedTime(now ?? Now));

    private static readonly VaccinationRecord Valid = new()
    {
        FamilyName = "Nguyễn",
        GivenName = "Thị Minh Khai",
        DateOfBirth = "1987-05-23",
        Nationality = "VN",
        TargetedDisease = DccCodes.Covid19,
        VaccineType = "1119349007",
        VaccineProduct = "EU/1/20/1528",
        Manufacturer = "ORG-100030215",
        DoseNumber = 2,
        TotalDoses = 2,
        DateOfVaccination = new DateOnly(2021, 8, 20),
        CertificateId = UvciFormat.Generate("VN", "79001", "0R3KQ5ZXY12"),
    };

    [Fact]
    public void A_complete_record_has_no_errors() => Assert.Empty(Validator().Validate(Valid));

    public static TheoryData<string, VaccinationRecord, string, string, ValidationRule> Broken() => new()
    {
        // case, record, field, DCC path, rule
        { "no names", Valid with { FamilyName = "", GivenName = " " }, "FamilyName", "nam", ValidationRule.Required },
        { "family too long", Valid with { FamilyName = new string('a', 81) }, "FamilyName", "nam.fn", ValidationRule.TooLong },
        { "given transliteration too long", Valid with { GivenName = "Gößinger " + new string('ß', 36) }, "GivenName", "nam.gnt", ValidationRule.TooLong },
        { "control char", Valid with { GivenName = "Minh\tKhai" }, "GivenName", "nam.gn", ValidationRule.InvalidCharacters },
        { "lone surrogate", Valid with { GivenName = "Minh\uDC00" }, "GivenName", "nam.gn", ValidationRule.InvalidCharacters },
        { "not transliterable", Valid with { FamilyName = "Μενεξές" }, "FamilyName", "nam.fnt", ValidationRule.InvalidCharacters },
        { "digits in name", Valid with { GivenName = "Khai 2" }, "GivenName", "nam.gnt", ValidationRule.InvalidCharacters },
        { "punctuation only", Valid with { FamilyName = "--" }, "FamilyName", "nam.fnt", ValidationRule.InvalidCharacters },
        { "dob missing", Valid with { DateOfBirth = "" }, "DateOfBirth", "dob", ValidationRule.Required },
        { "dob format", Valid with { DateOfBirth = "23/05/1987" }, "DateOfBirth", "dob", ValidationRule.Format },
        { "dob day-month swapped", Valid with { DateOfBirth = "1987-23-05" }, "DateOfBirth", "dob", ValidationRule.Format },
        { "dob not a date", Valid with { DateOfBirth = "2001-02-29" }, "DateOfBirth", "dob", ValidationRule.Format },
        { "dob year 1899", Valid with { DateOfBirth = "1899" }, "DateOfBirth", "dob", ValidationRule.OutOfRange },
        { "dob year 2100", Valid with { DateOfBirth = "2100-01-01" }, "DateOfBirth", "dob", ValidationRule.OutOfRange },
        { "dob future", Valid with { DateOfBirth = "2021-09-16", DateOfVaccination = Today }, "DateOfBirth", "dob", ValidationRule.InFuture },
        { "dob after vaccination", Valid with { DateOfBirth = "2021-08" , DateOfVaccination = new DateOnly(2021, 7, 31) }, "DateOfBirth", "dob", ValidationRule.Inconsistent },
        { "dob non-ascii digits", Valid with { DateOfBirth = "١٩٨٧" }, "DateOfBirth", "dob", ValidationRule.Format },
        { "nationality missing", Valid with { Nationality = "" }, "Nationality", "cwt:nationality", ValidationRule.Required },
        { "nationality lower", Valid with { Nationality = "vn" }, "Nationality", "cwt:nationality", ValidationRule.Format },
        { "nationality alpha-3", Valid with { Nationality = "VNM" }, "Nationality", "cwt:nationality", ValidationRule.Format },
        { "nationality unknown", Valid with { Nationality = "XY" }, "Nationality", "cwt:nationality", ValidationRule.NotInValueSet },
        { "tg unknown", Valid with { TargetedDisease = "840539007" }, "TargetedDisease", "v[0].tg", ValidationRule.NotInValueSet },
        { "vp missing", Valid with { VaccineType = "" }, "VaccineType", "v[0].vp", ValidationRule.Required },
        { "vp unknown", Valid with { VaccineType = "123" }, "VaccineType", "v[0].vp", ValidationRule.NotInValueSet },
        { "vp deprecated", Valid with { VaccineType = "J07BX03" }, "VaccineType", "v[0].vp", ValidationRule.NotAllowedByPolicy },
        { "mp unknown", Valid with { VaccineProduct = "EU/1/20/9999" }, "VaccineProduct", "v[0].mp", ValidationRule.NotInValueSet },
        { "mp case", Valid with { VaccineProduct = "eu/1/20/1528" }, "VaccineProduct", "v[0].mp", ValidationRule.NotInValueSet },
        { "ma unknown", Valid with { Manufacturer = "ORG-99999999" }, "Manufacturer", "v[0].ma", ValidationRule.NotInValueSet },
        { "ma wrong holder", Valid with { Manufacturer = "ORG-100031184" }, "Manufacturer", "v[0].ma", ValidationRule.Inconsistent },
        { "vp wrong type", Valid with { VaccineType = "1157024006" }, "VaccineType", "v[0].vp", ValidationRule.Inconsistent },
        { "mp not licensed in VN", Valid with { VaccineProduct = "CoronaVac", Manufacturer = "Sinovac-Biotech", VaccineType = "1157024006" }, "VaccineProduct", "v[0].mp", ValidationRule.NotAllowedByPolicy },
        { "mp deprecated", Valid with { VaccineProduct = "NVX-CoV2373", Manufacturer = "ORG-100032020", VaccineType = "1162643001" }, "VaccineProduct", "v[0].mp", ValidationRule.NotAllowedByPolicy },
        { "dn zero", Valid with { DoseNumber = 0 }, "DoseNumber", "v[0].dn", ValidationRule.OutOfRange },
        { "dn ten", Valid with { DoseNumber = 10 }, "DoseNumber", "v[0].dn", ValidationRule.OutOfRange },
        { "sd zero", Valid with { TotalDoses = 0 }, "TotalDoses", "v[0].sd", ValidationRule.OutOfRange },
        { "sd negative", Valid with { TotalDoses = -1 }, "TotalDoses", "v[0].sd", ValidationRule.OutOfRange },
        { "dt missing", Valid with { DateOfVaccination = default }, "DateOfVaccination", "v[0].dt", ValidationRule.Required },
        { "dt too early", Valid with { DateOfVaccination = new DateOnly(2020, 11, 30) }, "DateOfVaccination", "v[0].dt", ValidationRule.TooEarly },
        { "dt tomorrow", Valid with { DateOfVaccination = Today.AddDays(1) }, "DateOfVaccination", "v[0].dt", ValidationRule.InFuture },
        { "ci missing", Valid with { CertificateId = "" }, "CertificateId", "v[0].ci", ValidationRule.Required },
        { "ci wrong check", Valid with { CertificateId = Valid.CertificateId[..^1] + (Valid.CertificateId[^1] == 'A' ? "B" : "A") }, "CertificateId", "v[0].ci", ValidationRule.Format },
        { "ci no check", Valid with { CertificateId = Valid.CertificateId[..^2] }, "CertificateId", "v[0].ci", ValidationRule.Format },
        { "ci lower case", Valid with { CertificateId = Valid.CertificateId.ToLowerInvariant() }, "CertificateId", "v[0].ci", ValidationRule.Format },
        { "ci other country", Valid with { CertificateId = "URN:UVCI:01:NL:187/37512422923#Z" }, "CertificateId", "v[0].ci", ValidationRule.Inconsistent },
        { "ci bad char", Valid with { CertificateId = "URN:UVCI:01:VN:79001_X#A" }, "CertificateId", "v[0].ci", ValidationRule.InvalidCharacters },
        { "ci too long", Valid with { CertificateId = "URN:UVCI:01:VN:" + new string('7', 70) }, "CertificateId", "v[0].ci", ValidationRule.TooLong },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_rule_reports_its_field_path_and_rule(string @case, VaccinationRecord record, string field, string path, ValidationRule rule)
    {
        var errors = Validator().Validate(record);
        var error = Assert.Single(errors);
        Assert.True(error.Field == field && error.DccPath == path && error.Rule == rule, $"{@case}: got {error}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("1987")]
    [InlineData("1987-05")]
    [InlineData("2000-02-29")]
    [InlineData("1900-01-01")]
    public void Partial_and_edge_dates_of_birth_are_accepted(string dob) =>
        Assert.Empty(Validator().Validate(Valid with { DateOfBirth = dob }));

    [Fact]
    public void Born_and_vaccinated_the_same_day_and_today_is_accepted() =>
        Assert.Empty(Validator().Validate(Valid with { DateOfBirth = "2021-09-15", DateOfVaccination = Today }));

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    public void Booster_dose_beyond_the_series_is_allowed_as_the_eu_examples_encode_it(int dn, int sd) =>
        Assert.Empty(Validator().Validate(Valid with { DoseNumber = dn, TotalDoses = sd }));

    [Fact]
    public void Today_is_the_vietnamese_calendar_day()
    {
        // 2021-09-14 18:00 UTC is already 2021-09-15 01:00 in Viet Nam: a same-day vaccination is not in the future.
        var lateUtc = new DateTimeOffset(2021, 9, 14, 18, 0, 0, TimeSpan.Zero);
        Assert.Empty(Validator(lateUtc).Validate(Valid with { DateOfVaccination = Today }));
    }

    [Fact]
    public void All_problems_are_reported_together()
    {
        var errors = Validator().Validate(new VaccinationRecord());
        // Names, dob, nationality, vp, mp, ma, dn, sd, dt, ci (tg has a default).
        Assert.Equal(10, errors.Count);
        Assert.All(errors, e => Assert.NotEqual(ValidationRule.Format, e.Rule));
    }

    [Fact]
    public void Null_fields_and_null_record_do_not_throw()
    {
        var nulls = new VaccinationRecord
        {
            FamilyName = null!, GivenName = null!, DateOfBirth = null!, Nationality = null!, TargetedDisease = null!,
            VaccineType = null!, VaccineProduct = null!, Manufacturer = null!, CertificateId = null!,
        };
        Assert.NotEmpty(Validator().Validate(nulls));
        Assert.Equal(ValidationRule.Required, Assert.Single(Validator().Validate(null)).Rule);
    }

    [Fact]
    public void Messages_do_not_repeat_the_name()
    {
        var errors = Validator().Validate(Valid with { FamilyName = "Nguyễn\u0001", GivenName = new string('x', 90) });
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("Nguy", e.Message));
        Assert.All(errors, e => Assert.DoesNotContain("xxx", e.Message));
    }

    /// <summary>Records built from the policy's vaccines, real Vietnamese letters and dates inside the allowed windows.</summary>
    private static Gen<VaccinationRecord> ValidRecords()
    {
        var letters = VietnameseAlphabet.Letters.Select(l => l.Letter).ToArray();
        var word = Gen.Elements(letters).NonEmptyListOf().Where(w => w.Count <= 7).Select(w => string.Concat(w));
        var name = word.NonEmptyListOf().Where(w => w.Count <= 4).Select(w => string.Join(' ', w));
        var vaccine = Gen.Elements(IssuancePolicy.Default.Vaccines.ToArray())
            .SelectMany(v => Gen.Elements(v.VaccineTypes.ToArray()).Select(vp => (v, vp)));
        var vaccinationDay = Gen.Choose(0, Today.DayNumber - new DateOnly(2020, 12, 1).DayNumber)
            .Select(offset => new DateOnly(2020, 12, 1).AddDays(offset));
        var birthDay = Gen.Choose(new DateOnly(1900, 1, 1).DayNumber, new DateOnly(2020, 11, 30).DayNumber).Select(DateOnly.FromDayNumber);
        var dobShape = Gen.Elements("yyyy-MM-dd", "yyyy-MM", "yyyy");
        var nationality = Gen.Elements(EuValueSets.Default.Get(ValueSetIds.Country).Entries.Keys.ToArray());
        var doses = Gen.Zip(Gen.Choose(1, 9), Gen.Choose(1, 9));
        var uvci = Gen.Elements("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray()).NonEmptyListOf()
            .Where(l => l.Count <= 12).Select(l => UvciFormat.Generate("VN", "79001", new string(l.ToArray())));

        return from family in name
               from given in name
               from v in vaccine
               from dt in vaccinationDay
               from dob in birthDay
               from shape in dobShape
               from nat in nationality
               from d in doses
               from ci in uvci
               select new VaccinationRecord
               {
                   FamilyName = family, GivenName = given,
                   DateOfBirth = dob.ToString(shape, System.Globalization.CultureInfo.InvariantCulture),
                   Nationality = nat, VaccineType = v.vp, VaccineProduct = v.v.Product, Manufacturer = v.v.Manufacturer,
                   DoseNumber = d.Item1, TotalDoses = d.Item2, DateOfVaccination = dt, CertificateId = ci,
               };
    }

    [Fact]
    public void Property_valid_generated_records_have_no_errors()
    {
        var validator = Validator();
        PropertyCheck.ForAll(ValidRecords(), r => validator.Validate(r).Count == 0);
    }
}
