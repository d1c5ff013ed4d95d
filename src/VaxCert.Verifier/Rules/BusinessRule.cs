using System.Globalization;
using System.Text.Json;

namespace VaxCert.Verifier.Rules;

/// <summary>EU rule types: acceptance rules of the arrival country, invalidation rules of the issuing country.</summary>
public enum BusinessRuleType { Acceptance, Invalidation }

/// <summary>The certificate types a rule applies to; General applies to all.</summary>
public enum RuleCertificateType { General, Vaccination, Test, Recovery }

/// <summary>One description of a rule in one language.</summary>
public sealed record RuleDescription(string Language, string Text);

/// <summary>
/// One EU DCC business rule in the gateway's JSON format (Identifier, Type, Country, Version, SchemaVersion, Engine,
/// EngineVersion, CertificateType, Description, ValidFrom, ValidTo, AffectedFields, Logic).
/// </summary>
public sealed record BusinessRule
{
    public required string Identifier { get; init; }
    public required BusinessRuleType Type { get; init; }
    /// <summary>ISO 3166 alpha-2, upper case: the arrival country (acceptance) or the issuing country (invalidation).</summary>
    public required string Country { get; init; }
    /// <summary>Optional region within the country ("" when none).</summary>
    public string Region { get; init; } = "";
    public required Version Version { get; init; }
    public required Version SchemaVersion { get; init; }
    public required string Engine { get; init; }
    public required Version EngineVersion { get; init; }
    public required RuleCertificateType CertificateType { get; init; }
    public required IReadOnlyList<RuleDescription> Descriptions { get; init; }
    public required DateTimeOffset ValidFrom { get; init; }
    public required DateTimeOffset ValidTo { get; init; }
    public IReadOnlyList<string> AffectedFields { get; init; } = [];
    /// <summary>The CertLogic expression, already in CertLogic's value domain.</summary>
    public required object? Logic { get; init; }

    /// <summary>The description in <paramref name="language"/>, else English, else the first one.</summary>
    public string Describe(string language = "en")
        => (Descriptions.FirstOrDefault(d => d.Language == language) ?? Descriptions.FirstOrDefault(d => d.Language == "en")
            ?? Descriptions.FirstOrDefault())?.Text ?? Identifier;
}

/// <summary>Why a rule file was refused.</summary>
public enum RuleLoadFailure { None, InvalidJson, MissingField, InvalidField }

/// <summary>The rules of a file, or why it was refused (all or nothing: a half-loaded rule set would silently accept more).</summary>
public sealed record RuleLoadResult(IReadOnlyList<BusinessRule> Rules, RuleLoadFailure Failure, string? Message)
{
    public bool Succeeded => Failure == RuleLoadFailure.None;
}

/// <summary>Reads rules in the EU gateway JSON format: one rule object or an array of them.</summary>
public static class BusinessRuleReader
{
    /// <summary>Parses <paramref name="json"/>; never throws.</summary>
    public static RuleLoadResult Read(string json, CertLogicLimits? limits = null)
    {
        limits ??= CertLogicLimits.Default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException e)
        {
            return new RuleLoadResult([], RuleLoadFailure.InvalidJson, "not JSON within the depth cap: " + e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            var rules = new List<BusinessRule>(elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                var (rule, failure, message) = ReadRule(elements[i]);
                if (rule is null) return new RuleLoadResult([], failure, $"rule #{i + 1}: {message}");
                rules.Add(rule);
            }
            return new RuleLoadResult(rules, RuleLoadFailure.None, null);
        }
    }

    private static (BusinessRule?, RuleLoadFailure, string?) ReadRule(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return (null, RuleLoadFailure.InvalidField, "not a JSON object");
        string? missing = null, invalid = null;
        string Text(string name)
        {
            if (e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String) return p.GetString()!;
            missing ??= name;
            return "";
        }
        Version SemVer(string name)
        {
            var text = Text(name);
            if (Version.TryParse(text, out var v) && text.Count(c => c == '.') == 2) return v;
            if (text.Length > 0) invalid ??= $"{name} \"{Clip(text)}\" is not MAJOR.MINOR.PATCH";
            return new Version(0, 0, 0);
        }
        DateTimeOffset Time(string name)
        {
            var text = Text(name);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
            if (text.Length > 0) invalid ??= $"{name} \"{Clip(text)}\" is not a date-time";
            return default;
        }
        T Enum<T>(string name) where T : struct, System.Enum
        {
            var text = Text(name);
            if (System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && !text.Any(char.IsDigit)) return value;
            if (text.Length > 0) invalid ??= $"{name} \"{Clip(text)}\" is not one of {string.Join(", ", System.Enum.GetNames<T>())}";
            return default;
        }

        var rule = new BusinessRule
        {
            Identifier = Text("Identifier"),
            Type = Enum<BusinessRuleType>("Type"),
            Country = Text("Country"),
            Region = e.TryGetProperty("Region", out var region) && region.ValueKind == JsonValueKind.String ? region.GetString()! : "",
            Version = SemVer("Version"),
            SchemaVersion = SemVer("SchemaVersion"),
            Engine = Text("Engine"),
            EngineVersion = SemVer("EngineVersion"),
            CertificateType = Enum<RuleCertificateType>("CertificateType"),
            Descriptions = Descriptions(e),
            ValidFrom = Time("ValidFrom"),
            ValidTo = Time("ValidTo"),
            AffectedFields = e.TryGetProperty("AffectedFields", out var fields) && fields.ValueKind == JsonValueKind.Array
                ? fields.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!).ToList() : [],
            Logic = e.TryGetProperty("Logic", out var logic) ? CertLogicValues.FromJson(logic) : null,
        };
        if (!e.TryGetProperty("Logic", out _)) missing ??= "Logic";
        if (missing is not null) return (null, RuleLoadFailure.MissingField, $"{missing} is missing or not a string");
        if (invalid is not null) return (null, RuleLoadFailure.InvalidField, invalid);
        if (rule.Country.Length != 2 || !rule.Country.All(char.IsAsciiLetterUpper))
            return (null, RuleLoadFailure.InvalidField, $"Country \"{Clip(rule.Country)}\" is not an ISO 3166 alpha-2 code");
        if (rule.ValidTo <= rule.ValidFrom) return (null, RuleLoadFailure.InvalidField, "ValidTo is not after ValidFrom");
        return (rule, RuleLoadFailure.None, null);
    }

    private static List<RuleDescription> Descriptions(JsonElement e)
    {
        if (!e.TryGetProperty("Description", out var d) || d.ValueKind != JsonValueKind.Array) return [];
        return d.EnumerateArray()
            .Where(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("lang", out var l) && l.ValueKind == JsonValueKind.String
                        && x.TryGetProperty("desc", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(x => new RuleDescription(x.GetProperty("lang").GetString()!, x.GetProperty("desc").GetString()!))
            .ToList();
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
