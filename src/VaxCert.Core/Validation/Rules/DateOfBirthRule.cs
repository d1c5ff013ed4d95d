using VaxCert.Core.Model;

namespace VaxCert.Core.Validation.Rules;

/// <summary>dob: "YYYY-MM-DD", "YYYY-MM" or "YYYY"; year 1900-2099; a real date; not in the future; not after vaccination.</summary>
internal sealed class DateOfBirthRule : IRecordRule
{
    private const string Field = nameof(VaccinationRecord.DateOfBirth);

    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        if (string.IsNullOrWhiteSpace(record.DateOfBirth))
        {
            yield return Error(ValidationRule.Required, "The date of birth is required.");
            yield break;
        }
        var error = PartialDate.TryParse(record.DateOfBirth, out var dob);
        switch (error)
        {
            case PartialDateError.Format:
                yield return Error(ValidationRule.Format, "The date of birth must be YYYY-MM-DD, YYYY-MM or YYYY.");
                yield break;
            case PartialDateError.YearOutOfRange:
                yield return Error(ValidationRule.OutOfRange,
                    $"The year of birth must be between {PartialDate.MinYear} and {PartialDate.MaxYear}.");
                yield break;
            case PartialDateError.NotACalendarDate:
                yield return Error(ValidationRule.Format, "The date of birth is not a real calendar date.");
                yield break;
        }
        if (dob.EarliestDay > context.Today)
            yield return Error(ValidationRule.InFuture, "The date of birth lies in the future.");
        else if (record.DateOfVaccination != default && dob.EarliestDay > record.DateOfVaccination)
            yield return new ValidationError(Field, DccPaths.DateOfBirth, ValidationRule.Inconsistent,
                "The date of birth is after the date of vaccination.");
    }

    private static ValidationError Error(ValidationRule rule, string message) => new(Field, DccPaths.DateOfBirth, rule, message);
}
