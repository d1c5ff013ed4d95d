using VaxCert.Core.Model;

namespace VaxCert.Core.Validation.Rules;

/// <summary>
/// dn and sd: each 1 to the policy maximum (9). dn greater than sd is allowed on purpose: boosters were encoded that way
/// (the EU schema examples include 2/1, 3/1, 4/1), so it is not an inconsistency.
/// </summary>
internal sealed class DoseRule : IRecordRule
{
    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        var policy = context.Policy;
        if (record.DoseNumber < 1 || record.DoseNumber > policy.MaxDoseNumber)
            yield return new ValidationError(nameof(VaccinationRecord.DoseNumber), DccPaths.DoseNumber, ValidationRule.OutOfRange,
                $"The dose number must be between 1 and {policy.MaxDoseNumber}.");
        if (record.TotalDoses < 1 || record.TotalDoses > policy.MaxSeriesDoses)
            yield return new ValidationError(nameof(VaccinationRecord.TotalDoses), DccPaths.TotalDoses, ValidationRule.OutOfRange,
                $"The total doses in the series must be between 1 and {policy.MaxSeriesDoses}.");
    }
}
