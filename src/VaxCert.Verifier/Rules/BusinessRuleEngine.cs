using System.Globalization;
using VaxCert.Core.Dcc;

namespace VaxCert.Verifier.Rules;

/// <summary>Where and when the certificate is checked.</summary>
/// <param name="ArrivalCountry">ISO 3166 alpha-2 of the destination whose acceptance rules apply.</param>
/// <param name="ValidationClock">The moment the rules are evaluated for (usually now, or the planned arrival).</param>
/// <param name="Region">Optional region of the destination; rules with another non-empty region are not applied.</param>
public sealed record RuleContext(string ArrivalCountry, DateTimeOffset ValidationClock, string Region = "");

/// <summary>The facts of a certificate the rules see (payload plus CWT header data), normally from a verification.</summary>
/// <param name="DccJson">The DCC payload as JSON (ver, nam, dob, v/t/r).</param>
/// <param name="Type">The certificate type.</param>
/// <param name="IssuerCountry">CWT iss.</param>
/// <param name="IssuedAt">CWT iat.</param>
/// <param name="ExpiresAt">CWT exp.</param>
/// <param name="KeyIdHex">The signer's kid in hex, when known.</param>
public sealed record RuleCertificate(string DccJson, DccTypes Type, string? IssuerCountry, DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt, string? KeyIdHex = null)
{
    /// <summary>The certificate of a verification; null when nothing was decoded. Rules only mean something after a Valid answer.</summary>
    public static RuleCertificate? From(VerificationResult verification)
        => verification?.Certificate is not { } c ? null
            : new RuleCertificate(c.DccJson, c.Type, c.Issuer, c.IssuedAt, c.ExpiresAt, verification.Signer?.KeyId);
}

/// <summary>The result of one rule.</summary>
public enum RuleResult
{
    /// <summary>The rule's logic evaluated to a truthy value.</summary>
    Passed,
    /// <summary>The rule's logic evaluated to a falsy (or neither-truthy-nor-falsy) value: the certificate breaks the rule.</summary>
    Failed,
    /// <summary>The rule could not be evaluated (CertLogic error, unsupported engine): neither pass nor fail.</summary>
    Open,
}

/// <summary>One rule's outcome, naming the rule.</summary>
public sealed record RuleEvaluation(BusinessRule Rule, RuleResult Result, CertLogicFailure Failure = CertLogicFailure.None, string? Message = null)
{
    /// <summary>The rule identifier, e.g. VR-DE-0001.</summary>
    public string RuleId => Rule.Identifier;
}

/// <summary>The overall business-rule decision.</summary>
public enum RulesOutcome
{
    /// <summary>Every applicable rule passed.</summary>
    Accepted,
    /// <summary>At least one rule failed (see <see cref="RulesReport.FailedRuleIds"/>).</summary>
    Rejected,
    /// <summary>No rule failed but at least one could not be evaluated: a person must decide.</summary>
    Open,
    /// <summary>
    /// The destination has no acceptance rule valid at the validation clock for this certificate type (and no applicable
    /// invalidation rule failed): the rules cannot say yes.
    /// </summary>
    NoRules,
}

/// <summary>All rule results for one certificate and destination.</summary>
public sealed record RulesReport(RulesOutcome Outcome, IReadOnlyList<RuleEvaluation> Evaluations)
{
    /// <summary>Identifiers of the failed rules, in evaluation order.</summary>
    public IReadOnlyList<string> FailedRuleIds => Evaluations.Where(e => e.Result == RuleResult.Failed).Select(e => e.RuleId).ToList();

    /// <summary>Identifiers of the rules that could not be evaluated.</summary>
    public IReadOnlyList<string> OpenRuleIds => Evaluations.Where(e => e.Result == RuleResult.Open).Select(e => e.RuleId).ToList();
}

/// <summary>
/// Applies EU DCC business rules as the EU verifier apps do: the arrival country's acceptance rules and the issuing
/// country's invalidation rules, for the certificate's type (or General), valid at the validation clock, the highest
/// version of each identifier. Each rule's CertLogic sees <c>{ "payload": DCC, "external": { validationClock,
/// valueSets, countryCode, region, exp, iat, issuerCountryCode, kid } }</c>. Thread-safe; never throws on rules or data.
/// </summary>
public sealed class BusinessRuleEngine
{
    /// <summary>The CertLogic engine name and the highest major version this evaluator implements.</summary>
    public const string SupportedEngine = "CERTLOGIC";
    public const int SupportedEngineMajor = 1;

    private readonly IReadOnlyList<BusinessRule> _rules;
    private readonly Dictionary<string, object?> _valueSets;
    private readonly CertLogicLimits _limits;

    /// <param name="rules">The rule set (e.g. from <see cref="BusinessRuleReader"/> or a trust bundle).</param>
    /// <param name="valueSets">Value sets exposed to rules as external.valueSets; the shipped EU sets by default.</param>
    /// <param name="limits">CertLogic caps per rule.</param>
    public BusinessRuleEngine(IEnumerable<BusinessRule> rules, ValueSets? valueSets = null, CertLogicLimits? limits = null)
    {
        _rules = (rules ?? throw new ArgumentNullException(nameof(rules))).ToList();
        _limits = limits ?? CertLogicLimits.Default;
        _valueSets = (valueSets ?? ValueSets.Default).Sets.ToDictionary(
            s => s.Key, s => (object?)s.Value.Entries.Keys.Order(StringComparer.Ordinal).Select(k => (object?)k).ToList(), StringComparer.Ordinal);
    }

    /// <summary>The rules that apply to <paramref name="certificate"/> in <paramref name="context"/>, in identifier order.</summary>
    public IReadOnlyList<BusinessRule> Select(RuleCertificate certificate, RuleContext context)
        => _rules
            .Where(r => r.Type == BusinessRuleType.Acceptance
                ? r.Country == context.ArrivalCountry && (r.Region.Length == 0 || r.Region == context.Region)
                : r.Country == certificate.IssuerCountry)
            .Where(r => r.CertificateType == RuleCertificateType.General || Matches(r.CertificateType, certificate.Type))
            .Where(r => r.ValidFrom <= context.ValidationClock && context.ValidationClock < r.ValidTo)
            .GroupBy(r => (r.Identifier, r.Type, r.Country))
            .Select(g => g.MaxBy(r => r.Version)!)
            .OrderBy(r => r.Identifier, StringComparer.Ordinal)
            .ToList();

    /// <summary>Evaluates every applicable rule and combines the results.</summary>
    public RulesReport Evaluate(RuleCertificate certificate, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(context);
        var selected = Select(certificate, context);
        if (selected.Count == 0) return new RulesReport(RulesOutcome.NoRules, []);
        if (!CertLogic.TryParse(certificate.DccJson, _limits, out var payload, out var error))
            return new RulesReport(RulesOutcome.Open, selected.Select(r => new RuleEvaluation(r, RuleResult.Open, CertLogicFailure.InvalidJson, error)).ToList());
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["payload"] = payload,
            ["external"] = External(certificate, context),
        };
        var evaluations = selected.Select(rule => EvaluateOne(rule, data)).ToList();
        // Invalidation rules can reject on their own, but only the destination's acceptance rules can accept.
        var outcome = evaluations.Any(e => e.Result == RuleResult.Failed) ? RulesOutcome.Rejected
            : evaluations.Any(e => e.Result == RuleResult.Open) ? RulesOutcome.Open
            : !selected.Any(r => r.Type == BusinessRuleType.Acceptance) ? RulesOutcome.NoRules
            : RulesOutcome.Accepted;
        return new RulesReport(outcome, evaluations);
    }

    private RuleEvaluation EvaluateOne(BusinessRule rule, object data)
    {
        if (rule.Engine != SupportedEngine || rule.EngineVersion.Major > SupportedEngineMajor)
            return new RuleEvaluation(rule, RuleResult.Open, CertLogicFailure.InvalidExpression,
                $"engine {rule.Engine} {rule.EngineVersion} is not supported (CERTLOGIC {SupportedEngineMajor}.x is)");
        var result = CertLogic.Evaluate(rule.Logic, data, _limits);
        if (!result.Succeeded) return new RuleEvaluation(rule, RuleResult.Open, result.Failure, result.Message);
        return new RuleEvaluation(rule, result.IsTruthy ? RuleResult.Passed : RuleResult.Failed);
    }

    private Dictionary<string, object?> External(RuleCertificate certificate, RuleContext context) => new(StringComparer.Ordinal)
    {
        ["validationClock"] = Iso(context.ValidationClock),
        ["valueSets"] = _valueSets,
        ["countryCode"] = context.ArrivalCountry,
        ["region"] = context.Region,
        ["exp"] = certificate.ExpiresAt is { } exp ? Iso(exp) : null,
        ["iat"] = certificate.IssuedAt is { } iat ? Iso(iat) : null,
        ["issuerCountryCode"] = certificate.IssuerCountry,
        ["kid"] = KidBase64(certificate.KeyIdHex),
    };

    private static bool Matches(RuleCertificateType ruleType, DccTypes type) => ruleType switch
    {
        RuleCertificateType.Vaccination => type == DccTypes.Vaccination,
        RuleCertificateType.Test => type == DccTypes.Test,
        RuleCertificateType.Recovery => type == DccTypes.Recovery,
        _ => true,
    };

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? KidBase64(string? hex)
    {
        if (hex is null || hex.Length % 2 != 0) return null;
        try { return Convert.ToBase64String(Convert.FromHexString(hex)); }
        catch (FormatException) { return null; }
    }
}
