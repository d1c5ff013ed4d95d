using VaxCert.Core.Identity;

namespace VaxCert.Core.Tests.Identity;

/// <summary>Record ids that look like a CCCD, CMND or passport number are refused (issue #12 item 2); facility ids pass.</summary>
public sealed class PersonalIdentifierFacilityIdsTests
{
    [Theory]
    [InlineData("001187012345")] // CCCD
    [InlineData("079090001234")]
    [InlineData("123456789")] // CMND
    [InlineData("001 187 012 345")]
    [InlineData("001.187.012.345")]
    [InlineData("123-456-789")]
    [InlineData("ID001187012345")]
    [InlineData("HN001-001187012345")]
    [InlineData("C1234567")] // Vietnamese passport
    [InlineData("n12345678")]
    [InlineData("AB1234567")]
    [InlineData(" B7654321 ")]
    public void Identity_numbers_are_recognised(string id) => Assert.True(PersonalIdentifierLikeness.LooksLikePersonalIdentifier(id));

    [Theory]
    [InlineData("R0000001")] // SyntheticExport ids
    [InlineData("HN001-2021-0914-0001")] // examples/
    [InlineData("HCM01-2021-1002-0002")]
    [InlineData("R1")]
    [InlineData("2021-000123")]
    [InlineData("12345678")] // 8 digits
    [InlineData("1234567890")] // 10 digits
    [InlineData("ABC1234567")]
    [InlineData("")]
    [InlineData(null)]
    public void Facility_record_ids_pass(string? id) => Assert.False(PersonalIdentifierLikeness.LooksLikePersonalIdentifier(id));
}
