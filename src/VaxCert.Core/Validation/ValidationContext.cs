using VaxCert.Core.Dcc;

namespace VaxCert.Core.Validation;

/// <summary>What the rules check against: reference data, policy, issuing country and today's date in Viet Nam.</summary>
/// <param name="ValueSets">EU value sets.</param>
/// <param name="Policy">The Ministry's issuance policy.</param>
/// <param name="Country">The issuing country; the UVCI must carry it.</param>
/// <param name="Today">The current date where the record is issued.</param>
public sealed record ValidationContext(ValueSets ValueSets, IssuancePolicy Policy, string Country, DateOnly Today);

/// <summary>One group of checks on a record. Rules only report; they never throw on bad data.</summary>
public interface IRecordRule
{
    /// <summary>Every problem this rule finds in <paramref name="record"/>.</summary>
    IEnumerable<ValidationError> Check(Model.VaccinationRecord record, ValidationContext context);
}
