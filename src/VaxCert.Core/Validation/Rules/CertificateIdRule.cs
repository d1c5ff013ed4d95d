using VaxCert.Core.Model;
using VaxCert.Core.Uvci;

namespace VaxCert.Core.Validation.Rules;

/// <summary>ci: a UVCI as VaxCert issues it (Annex 2 syntax, upper case, correct check character, issuer's country).</summary>
internal sealed class CertificateIdRule : IRecordRule
{
    private const string Field = nameof(VaccinationRecord.CertificateId);

    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        if (record.CertificateId is { } id && UvciFormat.IsValidStrict(id, context.Country))
            yield break;
        var result = UvciFormat.Validate(record.CertificateId, UvciMode.VaxCert, context.Country);
        foreach (var finding in result.Errors)
            yield return new ValidationError(Field, DccPaths.CertificateId, RuleFor(finding.Issue), finding.Message);
    }

    private static ValidationRule RuleFor(UvciIssue issue) => issue switch
    {
        UvciIssue.Empty => ValidationRule.Required,
        UvciIssue.TooLong => ValidationRule.TooLong,
        UvciIssue.InvalidCharacter => ValidationRule.InvalidCharacters,
        UvciIssue.UnexpectedCountry => ValidationRule.Inconsistent,
        _ => ValidationRule.Format,
    };
}
