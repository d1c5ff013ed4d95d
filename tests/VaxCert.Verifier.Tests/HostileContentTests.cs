using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using VaxCert.Bench.Scenarios;
using VaxCert.Testing;

namespace VaxCert.Verifier.Tests;

/// <summary>
/// Issue 12's done-when: 20,000 seeded, structure-aware hostile DCCs, validly signed with a trusted key (and a share with a
/// broken signature), through the verifier. 0 Valid for content that an independent oracle calls invalid (JsonSchema.Net
/// on the EU schema, plus our documented date/dose rules written here a second time), 0 Indeterminate, 0 exceptions, and
/// every forgery Invalid. The larger run is the verify-hostile bench scenario.
/// </summary>
public sealed class HostileContentTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Cases = 20_000;

    [Fact]
    public void Hostile_content_is_never_valid_when_the_oracle_says_invalid_and_forgeries_are_always_invalid()
    {
        var generator = new HostileDccGenerator(TestSigners.Es256, TestSigners.Untrusted, Clock.Now, seed: 20261201);
        var verifier = TestSigners.Verifier();
        var violations = new List<string>();
        var kinds = new Dictionary<string, int>();
        var outcomes = new Dictionary<string, int>();
        int valid = 0, oracleInvalid = 0, stricterThanOracle = 0;
        for (var i = 0; i < Cases; i++)
        {
            var c = generator.Next();
            kinds[c.Kind] = kinds.GetValueOrDefault(c.Kind) + 1;
            VerificationResult result;
            try
            {
                result = verifier.Verify(c.Hc1);
            }
            catch (Exception e)
            {
                violations.Add($"#{i} {c.Kind}: exception {e.GetType().Name}");
                continue;
            }
            var key = $"{result.Outcome}/{result.Reason}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            var oracle = HostileOracle.Invalid(c);
            if (oracle is not null) oracleInvalid++;
            if (result.Outcome == VerificationOutcome.Indeterminate)
                violations.Add($"#{i} {c.Kind}: Indeterminate {result.Reason}");
            if (c.SignatureBroken && (result.Outcome != VerificationOutcome.Invalid || !result[VerificationStage.Signature].Failed))
                violations.Add($"#{i} {c.Kind}: a broken signature answered {result}");
            if (result.IsValid)
            {
                valid++;
                if (oracle is not null) violations.Add($"#{i} {c.Kind}: Valid, but {oracle}: {Shorten(c.Json?.ToJsonString())}");
                if (result.Certificate.Type == DccTypes.Vaccination && result.Certificate.Record is null)
                    violations.Add($"#{i} {c.Kind}: Valid vaccination without its record");
            }
            else if (oracle is null && !c.SignatureBroken)
            {
                stricterThanOracle++; // e.g. value sets, which the schema does not check: allowed, counted for the record
            }
        }
        output.WriteLine($"{Cases} cases: {valid} Valid, {oracleInvalid} oracle-invalid, {stricterThanOracle} refused beyond the oracle");
        foreach (var (k, n) in outcomes.OrderByDescending(x => x.Value)) output.WriteLine($"  {k}: {n}");
        Assert.True(violations.Count == 0, $"{violations.Count} violations:\n" + string.Join("\n", violations.Take(40)));
        Assert.Equal(HostileDccGenerator.Kinds.Order(), kinds.Keys.Order());
        // The generator really produces both sides: plenty of valid certificates and plenty the oracle refuses.
        Assert.True(valid > Cases / 20, $"only {valid} Valid: " + string.Join(", ", outcomes));
        Assert.True(oracleInvalid > Cases / 4, $"only {oracleInvalid} oracle-invalid");
        Assert.True(outcomes.Keys.Count >= 8, string.Join(", ", outcomes));
        Assert.True(stricterThanOracle < Cases / 4, $"{stricterThanOracle} refused although the oracle accepts them: " + string.Join(", ", outcomes));
    }

    private static string? Shorten(string? s) => s is { Length: > 600 } ? s[..600] + "…" : s;

    [Theory]
    [InlineData("2021-02-30", true)]
    [InlineData("", true)]
    [InlineData("2021-02-14\n", true)]
    [InlineData("2020-02-29", false)]
    [InlineData("2021-02-14T10:00:00.123+02:00", false)]
    public void The_oracle_itself_tells_real_dates_from_impossible_ones(string dt, bool invalid)
    {
        var dcc = SampleDcc.Vaccination();
        dcc["v"]![0]!["dt"] = dt;
        Assert.Equal(invalid, HostileOracle.Invalid(new HostileCase("test", "", dcc, false, false)) is not null);
    }

    [Theory]
    [InlineData("1.3.3\n")]
    [InlineData("0.9999999999999999")]
    [InlineData("bytes")]
    public void The_oracle_refuses_what_issue_12_found(string what)
    {
        var dcc = SampleDcc.Vaccination();
        JsonNode? json = dcc;
        if (what == "1.3.3\n") dcc["ver"] = what;
        else if (what == "bytes") json = null;
        else dcc["v"]![0]!["dn"] = JsonNode.Parse(what);
        Assert.NotNull(HostileOracle.Invalid(new HostileCase("test", "", json, false, false)));
        Assert.Null(HostileOracle.Invalid(new HostileCase("test", "", SampleDcc.Vaccination(), false, false)));
    }
}

/// <summary>
/// The second opinion: JsonSchema.Net 8.0.5 on the EU schema files of shared/eu-dcc (the split 1.3.3 files with their
/// cross-file $refs for 1.3.x and unknown versions, the combined file of older versions), plus the date, dose and
/// line-end rules of docs/verifier.md, written here independently of the verifier's code.
/// </summary>
internal static class HostileOracle
{
    private static readonly string SchemaDirectory = Path.Combine(RepoPaths.Shared, "eu-dcc", "schema");
    private static readonly Dictionary<string, JsonSchema> ByVersion = LoadSchemas();
    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        // Combined files share one $id, so each version gets its own registry.
        foreach (var version in new[] { "1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1" })
        {
            var dir = Path.Combine(SchemaDirectory, "by-version", version);
            var file = Directory.GetFiles(dir, "*.json").Single();
            schemas[version] = JsonSchema.FromText(File.ReadAllText(file), Options());
        }
        var split = Options();
        // Built in dependency order: building resolves each cross-file $ref against what the registry holds already.
        foreach (var sibling in new[] { "DCC.ValueSets.schema.json", "DCC.Core.Types.schema.json", "DCC.Types.schema.json" })
            JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaDirectory, sibling)), split);
        schemas["latest"] = JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaDirectory, "DCC.schema.json")), split);
        return schemas;
    }

    private static BuildOptions Options()
    {
        var registry = new SchemaRegistry();
        registry.Fetch = (uri, _) => throw new InvalidOperationException($"the oracle fetches nothing ({uri})");
        return new BuildOptions { SchemaRegistry = registry };
    }

    /// <summary>Why the case's content is invalid, or null when the oracle accepts it.</summary>
    public static string? Invalid(HostileCase c)
    {
        if (c.KnownInvalid) return "invalid by construction";
        if (c.Json is not JsonObject dcc) return "not expressible as JSON";
        var ver = dcc["ver"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        var schema = ver is not null && ByVersion.TryGetValue(ver, out var own) ? own : ByVersion["latest"];
        if (!schema.Evaluate(JsonSerializer.SerializeToElement(dcc), Flag).IsValid) return "JsonSchema.Net: fails the EU schema";
        return OwnRules(dcc);
    }

    private static string? OwnRules(JsonObject dcc)
    {
        // ECMAScript's $ never matches before a final line end: every anchored pattern refuses one.
        foreach (var text in new[] { Text(dcc, "ver"), Text(dcc, "dob"), Text(dcc["nam"], "fnt"), Text(dcc["nam"], "gnt") })
            if (text is not null && text.Length > 0 && text[^1] is '\n' or '\r' or '\u2028' or '\u2029') return "a pattern field ends in a line end";
        if (Text(dcc, "dob") is { } dob && !BirthDate(dob)) return "dob is not a real date";
        foreach (var (group, e) in Entries(dcc))
        {
            switch (group)
            {
                case "v":
                    if (!Date(Text(e, "dt"))) return "dt is not a real date";
                    if (!Dose(e["dn"]) || !Dose(e["sd"])) return "a dose is not a whole number from 1 to 2^31-1";
                    break;
                case "t":
                    if (!DateTime(Text(e, "sc"))) return "sc is not a date-time";
                    if (e.ContainsKey("dr") && !DateTime(Text(e, "dr"))) return "dr is not a date-time";
                    break;
                case "r":
                    if (!Date(Text(e, "fr")) || !Date(Text(e, "df")) || !Date(Text(e, "du"))) return "a recovery date is not a real date";
                    break;
            }
        }
        return null;
    }

    private static IEnumerable<(string, JsonObject)> Entries(JsonObject dcc)
    {
        foreach (var group in new[] { "v", "t", "r" })
            if (dcc[group] is JsonArray a)
                foreach (var e in a.OfType<JsonObject>())
                    yield return (group, e);
    }

    private static string? Text(JsonNode? o, string key) => o is JsonObject obj && obj[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool Date(string? s)
    {
        if (s is null || s.Length < 10 || !System.DateTime.TryParseExact(s[..10], "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return false;
        return s.Length == 10 || (s[10] == 'T' && System.DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
                                  && !s.Contains('\n'));
    }

    private static bool DateTime(string? s)
        => s is not null && s.Length >= 20 && s[10] == 'T' && (s.EndsWith('Z') || s[^6] is '+' or '-') && !s.Contains('\n')
           && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private static bool BirthDate(string s)
        => s.Length == 0
           || (s.Length == 4 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y > 0)
           || (s.Length == 7 && System.DateTime.TryParseExact(s, "yyyy'-'MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
           || Date(s);

    private static bool Dose(JsonNode? n)
    {
        if (n is not JsonValue) return false;
        var element = JsonSerializer.SerializeToElement(n);
        return element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var m)
               && m == decimal.Truncate(m) && m >= 1 && m <= int.MaxValue;
    }
}
