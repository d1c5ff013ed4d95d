using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;

namespace VaxCert.Verifier.Schema;

/// <summary>
/// Value-set membership of the coded DCC fields (shared README §6: the 1.3.x schema does not list codes, so this is what
/// rejects an unknown country, manufacturer or test device). Checks v: tg vp mp ma co; t: tg tt tr co and ma when present;
/// r: tg co. Deprecated codes are accepted; an empty t.ma (PCR, no device) counts as absent. Test devices (t.ma) are checked against test-manf-example.json (2021-07-01),
/// the only device list still published upstream.
/// </summary>
public sealed class ValueSetCheck
{
    private readonly ValueSets _sets;
    private readonly FrozenSet<string> _testDevices;

    /// <summary>Checks against the given EU value sets (Core's shipped ones by default).</summary>
    public ValueSetCheck(ValueSets? sets = null)
    {
        _sets = sets ?? ValueSets.Default;
        _testDevices = LazyDevices.Value;
    }

    /// <summary>The shipped device list resource.</summary>
    public const string TestDeviceResource = "VaxCert.Verifier.Resources.test-manf-example.json";

    private static readonly Lazy<FrozenSet<string>> LazyDevices = new(() =>
    {
        using var doc = JsonDocument.Parse(DccSchemas.ReadResource(TestDeviceResource));
        return doc.RootElement.GetProperty("valueSetValues").EnumerateObject().Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);
    });

    /// <summary>True when every coded field is in its value set; <paramref name="error"/> names the first that is not.</summary>
    public bool Validate(JsonObject dcc, out string? error)
    {
        error = FirstProblem(dcc, "v", static (self, e, p) => self.Code(e, p, "tg", ValueSetIds.DiseaseAgentTargeted)
                    ?? self.Code(e, p, "vp", ValueSetIds.VaccineProphylaxis) ?? self.Code(e, p, "mp", ValueSetIds.VaccineMedicinalProduct)
                    ?? self.Code(e, p, "ma", ValueSetIds.VaccineManufacturer) ?? self.Code(e, p, "co", ValueSetIds.Country))
                ?? FirstProblem(dcc, "t", static (self, e, p) => self.Code(e, p, "tg", ValueSetIds.DiseaseAgentTargeted)
                    ?? self.Code(e, p, "tt", ValueSetIds.TestType) ?? self.Code(e, p, "tr", ValueSetIds.TestResult)
                    ?? self.Code(e, p, "co", ValueSetIds.Country) ?? self.Device(e, p))
                ?? FirstProblem(dcc, "r", static (self, e, p) => self.Code(e, p, "tg", ValueSetIds.DiseaseAgentTargeted)
                    ?? self.Code(e, p, "co", ValueSetIds.Country));
        return error is null;
    }

    private string? FirstProblem(JsonObject dcc, string group, Func<ValueSetCheck, JsonObject, string, string?> check)
    {
        if (dcc[group] is not JsonArray entries) return null; // absence and shape are the schema's business
        for (var i = 0; i < entries.Count; i++)
            if (entries[i] is JsonObject entry && check(this, entry, $"{group}[{i}]") is { } problem)
                return problem;
        return null;
    }

    private string? Code(JsonObject entry, string path, string field, string setId)
    {
        var code = entry[field] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        return _sets.Contains(setId, code) ? null : $"{path}.{field} '{code}' is not in value set {setId}";
    }

    private string? Device(JsonObject entry, string path)
    {
        if (!entry.ContainsKey("ma")) return null;
        var code = entry["ma"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (code is "") return null; // PCR tests carry no device; CH sends an empty ma for them
        return code is not null && _testDevices.Contains(code) ? null : $"{path}.ma '{code}' is not a known test device";
    }
}
