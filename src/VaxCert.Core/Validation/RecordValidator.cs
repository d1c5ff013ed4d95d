using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Validation.Rules;

namespace VaxCert.Core.Validation;

/// <summary>
/// Checks a <see cref="VaccinationRecord"/> before anything is signed and returns every problem at once, so a facility can
/// fix a rejected row in one go. Never throws on bad data (null fields included).
/// </summary>
public sealed class RecordValidator
{
    /// <summary>Viet Nam's UTC offset (no daylight saving): "today" is the Vietnamese calendar day.</summary>
    public static readonly TimeSpan VietNamOffset = TimeSpan.FromHours(7);

    private static readonly IRecordRule[] Rules =
    [
        new NameRule(), new DateOfBirthRule(), new NationalityRule(), new VaccineCodeRule(),
        new DoseRule(), new VaccinationDateRule(), new CertificateIdRule(),
    ];

    private readonly ValueSets _valueSets;
    private readonly IssuancePolicy _policy;
    private readonly IssuerSettings _issuer;
    private readonly TimeProvider _time;

    /// <param name="valueSets">EU value sets, normally <see cref="ValueSets.Default"/>.</param>
    /// <param name="policy">Issuance policy, normally <see cref="IssuancePolicy.Default"/>.</param>
    /// <param name="issuer">Issuer configuration; its Country must appear in the UVCI.</param>
    /// <param name="time">Clock for "not in the future" checks.</param>
    public RecordValidator(ValueSets valueSets, IssuancePolicy policy, IssuerSettings issuer, TimeProvider time)
    {
        _valueSets = valueSets ?? throw new ArgumentNullException(nameof(valueSets));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>A validator with the shipped value sets, the default policy and issuer, and the system clock.</summary>
    public static RecordValidator CreateDefault() =>
        new(ValueSets.Default, IssuancePolicy.Default, IssuerSettings.Default, TimeProvider.System);

    /// <summary>All problems in <paramref name="record"/>; empty when it may be issued.</summary>
    public IReadOnlyList<ValidationError> Validate(VaccinationRecord? record)
    {
        if (record is null)
            return [new ValidationError("Record", "", ValidationRule.Required, "No record was supplied.")];
        var today = DateOnly.FromDateTime(_time.GetUtcNow().ToOffset(VietNamOffset).DateTime);
        var context = new ValidationContext(_valueSets, _policy, _issuer.Country, today);
        return Rules.SelectMany(rule => rule.Check(record, context)).ToList();
    }
}
