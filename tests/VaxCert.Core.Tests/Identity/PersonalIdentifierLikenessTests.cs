using VaxCert.Core.Identity;

namespace VaxCert.Core.Tests.Identity;

public class PersonalIdentifierLikenessTests
{
    [Theory]
    [InlineData("001187012345", PersonalIdentifierKind.Cccd)]
    [InlineData(" 079090001234 ", PersonalIdentifierKind.Cccd)]
    [InlineData("CCCD:001187012345", PersonalIdentifierKind.Cccd)]
    [InlineData("001.187.012.345", PersonalIdentifierKind.Cccd)]
    [InlineData("001-187-012-345", PersonalIdentifierKind.Cccd)]
    [InlineData("123456789", PersonalIdentifierKind.Cmnd)]
    [InlineData("CMND 123456789", PersonalIdentifierKind.Cmnd)]
    [InlineData("123 456 789", PersonalIdentifierKind.Cmnd)]
    [InlineData("C1234567", PersonalIdentifierKind.Passport)]
    [InlineData("b7654321", PersonalIdentifierKind.Passport)]
    [InlineData("E12345678", PersonalIdentifierKind.Passport)]
    [InlineData("TK1234567", PersonalIdentifierKind.Passport)]
    public void Identifier_like_ids_are_recognised(string id, PersonalIdentifierKind kind) =>
        Assert.Equal(kind, PersonalIdentifierLikeness.Classify(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2021-000123")]         // 10 digits when compacted
    [InlineData("REC-000123")]
    [InlineData("R0000001")]            // SyntheticExport's ids: R is no passport series letter
    [InlineData("HN001-R123456")]
    [InlineData("000000000123")]        // 12 digits but 000 is no province code
    [InlineData("1234567890")]          // 10 digits
    [InlineData("12345678")]            // 8 digits
    [InlineData("C123456")]             // passport letters need 7-8 digits
    [InlineData("ABC1234567")]          // three letters
    public void Ordinary_record_ids_are_not_flagged(string? id) =>
        Assert.Null(PersonalIdentifierLikeness.Classify(id));

    [Fact]
    public void A_long_hostile_id_is_classified_in_linear_time_without_throwing() =>
        Assert.Null(PersonalIdentifierLikeness.Classify(string.Concat(Enumerable.Repeat("12345678-", 20_000))));
}
