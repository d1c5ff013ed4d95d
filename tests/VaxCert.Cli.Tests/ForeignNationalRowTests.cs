using VaxCert.Core.Model;
using VaxCert.Core.Uvci;
using VaxCert.Core.Validation;
using VaxCert.Issuing.Facility;

namespace VaxCert.Cli.Tests;

/// <summary>
/// Issue 14: foreign nationals (Decision 5772 field 3, nationality other than VN) are identified by passport number, with
/// their own checks, instead of being impossible to issue (or passed off as a CMND). Every problem of a row comes at
/// once, stamped with its record id, and the Vietnamese text names columns as staff do.
/// </summary>
public sealed class ForeignNationalRowTests
{
    private static readonly RowChecker Checker = new("HN001", RecordValidator.CreateDefault(), new DeterministicUvci(IssuerSettings.Default.Country));

    private static ExportRow Row(string nationality, string citizenId, string passport, string recordId = "HN001-2021-0042") => new(7,
        new Dictionary<string, string>
        {
            ["record_id"] = recordId, ["citizen_id"] = citizenId, ["passport_number"] = passport, ["sex"] = "F",
            ["family_name"] = "Kim", ["given_name"] = "Ji-woo", ["date_of_birth"] = "1994-03-15", ["nationality"] = nationality,
            ["total_doses"] = "2", ["date_of_vaccination"] = "2021-09-01", ["dose_number"] = "1", ["vaccine_type"] = "1119349007",
            ["vaccine_product"] = "EU/1/20/1528", ["manufacturer"] = "ORG-100030215",
        });

    [Theory]
    [InlineData("KR", "M12345678")]
    [InlineData("US", "561234987")]
    [InlineData("FR", "18AB12345")]
    [InlineData("DE", "C01X00T47")]
    public void A_foreign_national_with_a_passport_number_is_signed_with_their_nationality(string nationality, string passport)
    {
        var (row, problems) = Checker.Check(Row(nationality, "", passport));
        Assert.Empty(problems);
        Assert.Equal(nationality, row!.Record.Nationality);
    }

    [Fact]
    public void A_foreign_national_with_a_cccd_and_no_passport_gets_both_problems_at_once_with_the_record_id()
    {
        var (row, problems) = Checker.Check(Row("KR", "001187012345", ""));
        Assert.Null(row);
        Assert.Equal([("citizen_id", "NotForForeignNationals"), ("passport_number", "Required")], problems.Select(p => (p.Field, p.Code)));
        Assert.All(problems, p => Assert.Equal("HN001-2021-0042", p.RecordId));
        Assert.All(problems, p => Assert.Equal(7, p.RowNumber));
        Assert.All(problems, p => Assert.DoesNotContain("001187012345", p.MessageVi + p.MessageEn));
    }

    [Theory]
    [InlineData("KR", "m1234-567", "InvalidCharacters")]
    [InlineData("KR", "M123", "InvalidLength")]
    [InlineData("KR", "M1234567890", "InvalidLength")]
    [InlineData("KR", "KIMJIWOO", "NoDigit")]
    [InlineData("KR", "000000000", "Placeholder")]
    [InlineData("VN", "123456789", "NotVietnameseFormat")]
    public void A_bad_passport_number_is_refused_with_a_typed_reason_and_masked(string nationality, string passport, string code)
    {
        // A Vietnamese citizen keeps the CCCD check; a passport number given with it is checked in the Vietnamese format.
        var citizenId = nationality == "VN" ? "001194012345" : "";
        var (row, problems) = Checker.Check(Row(nationality, citizenId, passport));
        Assert.Null(row);
        var problem = Assert.Single(problems, p => p.Field == "passport_number");
        Assert.Equal(code, problem.Code);
        if (passport.Length > 5) Assert.DoesNotContain(passport, problem.MessageVi + problem.MessageEn);
    }

    [Fact]
    public void A_row_with_several_problems_reports_all_of_them_and_the_vietnamese_text_uses_no_english_column_names()
    {
        var row = Row("KR", "", "KIMJIWOO") with { };
        var fields = new Dictionary<string, string>(row.Fields) { ["dose_number"] = "x", ["vaccine_product"] = "NOPE", ["sex"] = "?" };
        var (_, problems) = Checker.Check(row with { Fields = fields });
        Assert.Equal(["passport_number", "sex", "dose_number", "vaccine_product"], problems.Select(p => p.Field).Order().ToArray()
            .OrderBy(f => Array.IndexOf(new[] { "passport_number", "sex", "dose_number", "vaccine_product" }, f)));
        foreach (var p in problems)
        {
            Assert.Equal("HN001-2021-0042", p.RecordId);
            foreach (var column in ExportColumns.All)
                Assert.DoesNotContain(column, p.MessageVi);
            // As much in Vietnamese as in English: every number and quoted value of the English text is in the Vietnamese.
            foreach (System.Text.RegularExpressions.Match value in System.Text.RegularExpressions.Regex.Matches(p.MessageEn, @"'[^']*'|\d+"))
                Assert.Contains(value.Value.Trim('\''), p.MessageVi);
        }
    }

    [Fact]
    public void A_vietnamese_citizen_still_needs_a_cccd_or_cmnd()
    {
        var (_, problems) = Checker.Check(Row("VN", "", "C1234567"));
        Assert.Equal(("citizen_id", "Required"), Assert.Single(problems).Field is var f ? (f, problems[0].Code) : default);
    }
}
