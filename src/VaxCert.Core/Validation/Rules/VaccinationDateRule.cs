using System.Globalization;
using VaxCert.Core.Model;

namespace VaxCert.Core.Validation.Rules;

/// <summary>dt: set, not before the policy's earliest date (2020-12-01) and not after today in Viet Nam.</summary>
internal sealed class VaccinationDateRule : IRecordRule
{
    private const string Field = nameof(VaccinationRecord.DateOfVaccination);

    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        var date = record.DateOfVaccination;
        var earliest = context.Policy.EarliestVaccinationDate;
        if (date == default)
            yield return new ValidationError(Field, DccPaths.DateOfVaccination, ValidationRule.Required, "The date of vaccination is required.");
        else if (date < earliest)
            yield return new ValidationError(Field, DccPaths.DateOfVaccination, ValidationRule.TooEarly,
                $"The date of vaccination is before {earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        else if (date > context.Today)
            yield return new ValidationError(Field, DccPaths.DateOfVaccination, ValidationRule.InFuture, "The date of vaccination lies in the future.");
    }
}
