using VaxCert.Core.Identity;

namespace VaxCert.Core.Tests.Identity;

public class CitizenIdValidatorTests
{
    // Numbers below are made up: province 079 (Ho Chi Minh City) / 001 (Ha Noi), random last six digits.
    [Theory]
    [InlineData("079087001234", Sex.Male, "1987-05-23", "079")]   // 0 = male, 1900s, year 87
    [InlineData("001187004321", Sex.Female, "1987", "001")]       // 1 = female, 1900s
    [InlineData("096203112233", Sex.Male, "2003-01", "096")]      // 2 = male, 2000s
    [InlineData("048305998877", Sex.Female, "2005-12-31", "048")] // 3 = female, 2000s
    [InlineData(" 079087001234 ", null, null, "079")]             // nothing to compare against
    public void Valid_cccd_numbers_pass(string id, Sex? sex, string? dob, string province)
    {
        var result = CitizenIdValidator.Validate(id, sex, dob);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.MessageEn)));
        Assert.Equal(CitizenIdKind.Cccd, result.Kind);
        Assert.Equal(province, result.Province!.Code);
    }

    [Fact]
    public void Cmnd_is_nine_digits_with_no_embedded_checks()
    {
        var result = CitizenIdValidator.Validate("025123456", Sex.Female, "1960");
        Assert.True(result.IsValid);
        Assert.Equal(CitizenIdKind.Cmnd, result.Kind);
        Assert.Null(result.Province);
    }

    [Theory]
    [InlineData("", CitizenIdReason.Empty)]
    [InlineData(null, CitizenIdReason.Empty)]
    [InlineData("   ", CitizenIdReason.Empty)]
    [InlineData("07908700123", CitizenIdReason.InvalidFormat)]    // 11 digits
    [InlineData("0790870012345", CitizenIdReason.InvalidFormat)]  // 13 digits
    [InlineData("02512345", CitizenIdReason.InvalidFormat)]       // 8 digits
    [InlineData("079O87001234", CitizenIdReason.InvalidFormat)]   // letter O
    [InlineData("079 087 001 234", CitizenIdReason.InvalidFormat)]
    [InlineData("٠٧٩٠٨٧٠٠١٢٣٤", CitizenIdReason.InvalidFormat)] // Arabic-Indic digits
    [InlineData("003087001234", CitizenIdReason.UnknownProvince)] // 003 is not used
    [InlineData("097087001234", CitizenIdReason.UnknownProvince)]
    [InlineData("000087001234", CitizenIdReason.UnknownProvince)]
    public void Malformed_numbers_are_rejected_with_a_reason(string? id, CitizenIdReason reason)
    {
        var result = CitizenIdValidator.Validate(id, Sex.Male, "1987-05-23");
        Assert.False(result.IsValid);
        Assert.True(result.Has(reason), string.Join("; ", result.Problems.Select(p => p.Reason)));
    }

    [Theory]
    [InlineData("079087001234", Sex.Female, "1987-05-23", new[] { CitizenIdReason.SexMismatch })]
    [InlineData("079187001234", Sex.Male, "1987-05-23", new[] { CitizenIdReason.SexMismatch })]
    [InlineData("079087001234", Sex.Male, "1988-05-23", new[] { CitizenIdReason.BirthYearMismatch })]
    [InlineData("079287001234", Sex.Male, "1987-05-23", new[] { CitizenIdReason.CenturyMismatch })]
    [InlineData("079003001234", Sex.Male, "2003-05-23", new[] { CitizenIdReason.CenturyMismatch })]
    [InlineData("079487001234", Sex.Male, "1987", new[] { CitizenIdReason.CenturyMismatch })]
    [InlineData("003391001234", Sex.Male, "1987", new[] { CitizenIdReason.UnknownProvince, CitizenIdReason.SexMismatch, CitizenIdReason.CenturyMismatch, CitizenIdReason.BirthYearMismatch })]
    public void Embedded_data_is_checked_against_the_row(string id, Sex sex, string dob, CitizenIdReason[] expected)
    {
        var result = CitizenIdValidator.Validate(id, sex, dob);
        Assert.Equal(expected.Order(), result.Problems.Select(p => p.Reason).Order());
    }

    [Fact]
    public void Unreadable_date_of_birth_skips_the_year_checks_only()
    {
        var result = CitizenIdValidator.Validate("079087001234", Sex.Female, "23/05/1987");
        Assert.Equal(CitizenIdReason.SexMismatch, Assert.Single(result.Problems).Reason);
    }

    [Theory]
    [InlineData("079087001234", Sex.Female, "1988")]
    [InlineData("003391001234", Sex.Male, "1987")]
    [InlineData("0790870012", Sex.Male, "1987")]
    [InlineData("079O87001234", Sex.Male, "1987")]
    public void Messages_never_show_more_than_the_last_three_digits(string id, Sex sex, string dob)
    {
        var result = CitizenIdValidator.Validate(id, sex, dob);
        Assert.NotEmpty(result.Problems);
        foreach (var p in result.Problems)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.MessageVi));
            Assert.False(string.IsNullOrWhiteSpace(p.MessageEn));
            // No run of 4+ characters of the id (digits 1-4, 2-5, ... ) may appear.
            for (var i = 0; i + 4 <= id.Length; i++)
            {
                Assert.DoesNotContain(id.Substring(i, 4), p.MessageVi);
                Assert.DoesNotContain(id.Substring(i, 4), p.MessageEn);
            }
        }
        Assert.DoesNotContain(id[..^3], result.Masked);
    }

    [Theory]
    [InlineData("079087001234", "*********234")]
    [InlineData("025123456", "******456")]
    [InlineData("12345", "*****")]
    [InlineData("abcdefghij", "**********")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Masking_keeps_only_the_last_three_digits(string? id, string expected) =>
        Assert.Equal(expected, CitizenIdValidator.Mask(id));

    [Fact]
    public void Masking_caps_absurd_lengths() =>
        Assert.Equal(15, CitizenIdValidator.Mask(new string('9', 10_000)).Length);

    [Fact]
    public void Province_list_has_the_63_codes_from_001_to_096()
    {
        Assert.Equal(63, Provinces.ByCode.Count);
        Assert.Equal("Hà Nội", Provinces.ByCode["001"].NameVi);
        Assert.Equal("Hồ Chí Minh", Provinces.ByCode["079"].NameVi);
        Assert.Equal("Cà Mau", Provinces.ByCode["096"].NameVi);
        Assert.All(Provinces.ByCode.Values, p => Assert.Matches("^0[0-9]{2}$", p.Code));
        Assert.Equal(Provinces.ByCode.Count, Provinces.ByCode.Values.Select(p => p.NameEn).Distinct().Count());
    }

    [Fact]
    public void Messages_are_bilingual()
    {
        var problem = Assert.Single(CitizenIdValidator.Validate("079087001234", Sex.Female, null).Problems);
        Assert.Contains("giới tính", problem.MessageVi);
        Assert.Contains("female", problem.MessageEn);
    }
}
