using VaxCert.Core.Dcc;
using VaxCert.Core.Model;

namespace VaxCert.Core.Validation.Rules;

/// <summary>Nationality: an ISO 3166-1 alpha-2 code from the EU country-2-codes value set.</summary>
internal sealed class NationalityRule : IRecordRule
{
    private const string Field = nameof(VaccinationRecord.Nationality);

    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        var code = record.Nationality;
        if (string.IsNullOrWhiteSpace(code))
            yield return new ValidationError(Field, DccPaths.Nationality, ValidationRule.Required, "The nationality is required.");
        else if (code.Length != 2 || !code.All(c => c is >= 'A' and <= 'Z'))
            yield return new ValidationError(Field, DccPaths.Nationality, ValidationRule.Format,
                "The nationality must be two upper-case letters (ISO 3166-1 alpha-2), e.g. VN.");
        else if (!context.ValueSets.Contains(ValueSetIds.Country, code))
            yield return new ValidationError(Field, DccPaths.Nationality, ValidationRule.NotInValueSet,
                $"'{code}' is not in the EU country-2-codes value set.");
    }
}
