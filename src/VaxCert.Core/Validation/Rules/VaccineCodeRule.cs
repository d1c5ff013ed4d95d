using VaxCert.Core.Dcc;
using VaxCert.Core.Model;

namespace VaxCert.Core.Validation.Rules;

/// <summary>
/// tg, vp, mp, ma: each present and in its EU value set and not deprecated; (mp, ma, vp) consistent with the encoding
/// instructions (Annex A) where the product is listed; and allowed by the issuance policy.
/// </summary>
internal sealed class VaccineCodeRule : IRecordRule
{
    public IEnumerable<ValidationError> Check(VaccinationRecord record, ValidationContext context)
    {
        var sets = context.ValueSets;
        var codes = new[]
        {
            (Field: nameof(VaccinationRecord.TargetedDisease), Path: DccPaths.TargetedDisease, Set: ValueSetIds.DiseaseAgentTargeted, Code: record.TargetedDisease),
            (Field: nameof(VaccinationRecord.VaccineType), Path: DccPaths.VaccineType, Set: ValueSetIds.VaccineProphylaxis, Code: record.VaccineType),
            (Field: nameof(VaccinationRecord.VaccineProduct), Path: DccPaths.VaccineProduct, Set: ValueSetIds.VaccineMedicinalProduct, Code: record.VaccineProduct),
            (Field: nameof(VaccinationRecord.Manufacturer), Path: DccPaths.Manufacturer, Set: ValueSetIds.VaccineManufacturer, Code: record.Manufacturer),
        };
        var allKnown = true;
        foreach (var (field, path, set, code) in codes)
        {
            var error = CheckMembership(sets, field, path, set, code);
            if (error is null)
                continue;
            allKnown = false;
            yield return error;
        }
        if (!allKnown)
            yield break;

        var (mp, ma, vp) = (record.VaccineProduct, record.Manufacturer, record.VaccineType);
        var combination = sets.CheckCombination(mp, ma, vp);
        if (combination == CombinationCheck.ManufacturerMismatch)
            yield return new ValidationError(nameof(VaccinationRecord.Manufacturer), DccPaths.Manufacturer, ValidationRule.Inconsistent,
                $"'{ma}' is not the marketing-authorisation holder of '{mp}' (expected '{sets.FindInstruction(mp)!.Manufacturer}').");
        else if (combination == CombinationCheck.VaccineTypeMismatch)
            yield return new ValidationError(nameof(VaccinationRecord.VaccineType), DccPaths.VaccineType, ValidationRule.Inconsistent,
                $"Vaccine type '{vp}' does not fit '{mp}' (allowed: {string.Join(", ", sets.FindInstruction(mp)!.VaccineTypes)}).");

        // An Annex A contradiction is already reported; the policy would only repeat it.
        if (combination is CombinationCheck.Consistent or CombinationCheck.ProductNotListed)
            foreach (var error in CheckPolicy(context.Policy, mp, ma, vp))
                yield return error;
    }

    private static ValidationError? CheckMembership(ValueSets sets, string field, string path, string set, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return new ValidationError(field, path, ValidationRule.Required, "The code is required.");
        var entry = sets.Find(set, code);
        if (entry is null)
            return new ValidationError(field, path, ValidationRule.NotInValueSet, $"'{Shorten(code)}' is not in the EU value set {set}.");
        if (!entry.Active)
            return new ValidationError(field, path, ValidationRule.NotAllowedByPolicy,
                $"'{code}' is deprecated in the EU value set and must not be used on new certificates.");
        return null;
    }

    private static IEnumerable<ValidationError> CheckPolicy(IssuancePolicy policy, string mp, string ma, string vp)
    {
        var approved = policy.FindVaccine(mp);
        if (approved is null)
        {
            yield return new ValidationError(nameof(VaccinationRecord.VaccineProduct), DccPaths.VaccineProduct,
                ValidationRule.NotAllowedByPolicy, $"'{mp}' is not a vaccine Viet Nam's issuance policy allows.");
            yield break;
        }
        if (approved.Manufacturer != ma)
            yield return new ValidationError(nameof(VaccinationRecord.Manufacturer), DccPaths.Manufacturer,
                ValidationRule.NotAllowedByPolicy, $"The policy allows '{mp}' only with manufacturer '{approved.Manufacturer}'.");
        if (!approved.VaccineTypes.Contains(vp))
            yield return new ValidationError(nameof(VaccinationRecord.VaccineType), DccPaths.VaccineType,
                ValidationRule.NotAllowedByPolicy, $"The policy allows '{mp}' only with vaccine type {string.Join(" or ", approved.VaccineTypes)}.");
    }

    // Codes are short; a huge bogus value is cut so messages stay readable.
    private static string Shorten(string code) => code.Length <= 40 ? code : code[..40] + "...";
}
