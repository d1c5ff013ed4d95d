using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Uvci;
using VaxCert.Testing;
using VaxCert.Verifier.Rules;

namespace VaxCert.Verifier.Tests.Rules;

/// <summary>
/// Viet Nam certificates, issued and verified for real, evaluated against the sample acceptance rules of three
/// destinations (Rules/SampleRules) and Viet Nam's invalidation rule: accept or reject, naming the failed rules.
/// </summary>
public sealed class BusinessRuleEngineTests
{
    private static readonly string RulesDirectory = Path.Combine(RepoPaths.Root, "tests", "VaxCert.Verifier.Tests", "Rules", "SampleRules");
    private static readonly BusinessRuleEngine Engine = new(LoadAll());

    private static List<BusinessRule> LoadAll()
    {
        var rules = new List<BusinessRule>();
        foreach (var file in Directory.GetFiles(RulesDirectory, "*.json"))
        {
            var loaded = BusinessRuleReader.Read(File.ReadAllText(file));
            Assert.True(loaded.Succeeded, $"{file}: {loaded.Failure} {loaded.Message}");
            rules.AddRange(loaded.Rules);
        }
        return rules;
    }

    private static RuleCertificate IssueAndVerify(string product = "EU/1/20/1528", string manufacturer = "ORG-100030215",
        string vaccineType = "1119349007", int dose = 2, int total = 2, string vaccinated = "2021-09-14", string dob = "1985-04-12",
        string facility = "79001")
    {
        var record = new VaccinationRecord
        {
            FamilyName = "Nguyễn", GivenName = "Thị Minh Khai", DateOfBirth = dob, Nationality = "VN",
            TotalDoses = total, DoseNumber = dose, DateOfVaccination = DateOnly.Parse(vaccinated),
            VaccineType = vaccineType, VaccineProduct = product, Manufacturer = manufacturer,
            CertificateId = new DeterministicUvci("VN").For(facility, "R0000042"),
        };
        var issued = Hc1Issuer.Create(TestSigners.Es256, time: new FixedTime(Clock.Now.AddDays(-3))).Issue(record);
        Assert.True(issued.Succeeded, issued.Message);
        var verification = TestSigners.Verifier().Verify(issued.Certificate!.Hc1);
        Assert.True(verification.IsValid, verification.ToString());
        return RuleCertificate.From(verification)!;
    }

    private static RulesReport Check(RuleCertificate certificate, string country, string clock)
        => Engine.Evaluate(certificate, new RuleContext(country, DateTimeOffset.Parse(clock)));

    public static TheoryData<string, string, RulesOutcome, string> CompleteComirnaty => new()
    {
        { "DE", "2021-12-01T09:00:00Z", RulesOutcome.Accepted, "" },
        { "FR", "2021-12-01T09:00:00Z", RulesOutcome.Accepted, "" },
        { "TH", "2021-12-01T09:00:00Z", RulesOutcome.Accepted, "" },
        // 290 days after the second dose: Germany's 270-day version of VR-DE-0004 (in force from 2022-02-01) rejects.
        { "DE", "2022-07-01T09:00:00Z", RulesOutcome.Rejected, "VR-DE-0004" },
        { "DE", "2022-01-15T09:00:00Z", RulesOutcome.Accepted, "" }, // the 365-day version is still the one in force
        { "FR", "2022-07-01T09:00:00Z", RulesOutcome.Accepted, "" },
        { "JP", "2021-12-01T09:00:00Z", RulesOutcome.NoRules, "" },
    };

    [Theory]
    [MemberData(nameof(CompleteComirnaty))]
    public void A_complete_Comirnaty_series_from_Viet_Nam(string country, string clock, RulesOutcome expected, string failedRules)
    {
        var report = Check(IssueAndVerify(), country, clock);
        Assert.Equal(expected, report.Outcome);
        Assert.Equal(failedRules, string.Join(",", report.FailedRuleIds));
        Assert.Empty(report.OpenRuleIds);
        // The destination's acceptance rules plus the issuing country's invalidation rule; no one else's.
        if (expected != RulesOutcome.NoRules)
            Assert.All(report.Evaluations, e => Assert.Equal(e.Rule.Type == BusinessRuleType.Acceptance ? country : "VN", e.Rule.Country));
    }

    [Theory]
    [InlineData("DE", RulesOutcome.Rejected, "VR-DE-0001")]
    [InlineData("FR", RulesOutcome.Rejected, "VR-FR-0001")]
    [InlineData("TH", RulesOutcome.Accepted, "")]
    public void Sinopharm_is_accepted_where_the_destination_lists_it(string country, RulesOutcome expected, string failedRules)
    {
        var certificate = IssueAndVerify(product: "BBIBP-CorV", manufacturer: "ORG-100020693", vaccineType: "1157024006");
        var report = Check(certificate, country, "2021-12-01T09:00:00Z");
        Assert.Equal(expected, report.Outcome);
        Assert.Equal(failedRules, string.Join(",", report.FailedRuleIds));
    }

    [Theory]
    [InlineData("DE", "VR-DE-0002,VR-DE-0003")]
    [InlineData("FR", "VR-FR-0002,VR-FR-0003")]
    [InlineData("TH", "VR-TH-0002,VR-TH-0003")]
    public void A_first_dose_six_days_ago_fails_the_series_and_waiting_rules(string country, string failedRules)
    {
        var certificate = IssueAndVerify(dose: 1, total: 2, vaccinated: "2021-09-14");
        var report = Check(certificate, country, "2021-09-20T12:00:00Z");
        Assert.Equal(RulesOutcome.Rejected, report.Outcome);
        Assert.Equal(failedRules, string.Join(",", report.FailedRuleIds)); // 6.5 days: short of France's 7 too
    }

    [Fact]
    public void A_child_under_12_with_one_dose_is_accepted_by_Thailand_not_by_Germany()
    {
        var certificate = IssueAndVerify(dose: 1, total: 2, vaccinated: "2021-11-01", dob: "2015-03");
        Assert.Equal(RulesOutcome.Accepted, Check(certificate, "TH", "2021-12-01T09:00:00Z").Outcome);
        var germany = Check(certificate, "DE", "2021-12-01T09:00:00Z");
        Assert.Equal(RulesOutcome.Rejected, germany.Outcome);
        Assert.Equal(["VR-DE-0002"], germany.FailedRuleIds);
    }

    [Fact]
    public void The_issuing_countrys_invalidation_rule_applies_at_every_destination()
    {
        var certificate = IssueAndVerify(facility: "79999");
        foreach (var country in new[] { "DE", "FR", "TH" })
        {
            var report = Check(certificate, country, "2021-12-01T09:00:00Z");
            Assert.Equal(RulesOutcome.Rejected, report.Outcome);
            Assert.Equal(["IR-VN-0001"], report.FailedRuleIds);
        }
        Assert.Contains(Check(IssueAndVerify(), "DE", "2021-12-01T09:00:00Z").Evaluations, e => e.RuleId == "IR-VN-0001" && e.Result == RuleResult.Passed);
    }

    [Fact]
    public void Test_rules_do_not_apply_to_vaccinations_and_rules_outside_their_window_are_not_applied()
    {
        var report = Check(IssueAndVerify(), "FR", "2021-12-01T09:00:00Z");
        Assert.DoesNotContain(report.Evaluations, e => e.RuleId == "TR-FR-0001");
        // Every sample rule ends 2030-06-01; after that Germany has nothing in force.
        Assert.Equal(RulesOutcome.NoRules, Check(IssueAndVerify(), "DE", "2031-01-01T00:00:00Z").Outcome);
        Assert.Equal(RulesOutcome.NoRules, Check(IssueAndVerify(), "DE", "2021-05-01T00:00:00Z").Outcome);
    }

    [Fact]
    public void A_rule_that_cannot_be_evaluated_is_open_and_named_never_a_pass()
    {
        const string broken = """
            [{"Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0",
              "Engine": "CERTLOGIC", "EngineVersion": "1.0.0", "CertificateType": "Vaccination",
              "Description": [{"lang": "en", "desc": "compares strings with <"}], "ValidFrom": "2021-01-01T00:00:00Z",
              "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": [], "Logic": {"<": [{"var": "payload.v.0.mp"}, 3]}},
             {"Identifier": "VR-XX-0002", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0",
              "Engine": "CERTLOGIC", "EngineVersion": "2.0.0", "CertificateType": "General",
              "Description": [], "ValidFrom": "2021-01-01T00:00:00Z", "ValidTo": "2030-01-01T00:00:00Z", "Logic": true}]
            """;
        var loaded = BusinessRuleReader.Read(broken);
        Assert.True(loaded.Succeeded, loaded.Message);
        var report = new BusinessRuleEngine(loaded.Rules).Evaluate(IssueAndVerify(), new RuleContext("XX", DateTimeOffset.Parse("2021-12-01T00:00:00Z")));
        Assert.Equal(RulesOutcome.Open, report.Outcome);
        Assert.Equal(["VR-XX-0001", "VR-XX-0002"], report.OpenRuleIds);
        Assert.Equal(CertLogicFailure.TypeMismatch, report.Evaluations[0].Failure);
    }

    [Theory]
    [InlineData("{", RuleLoadFailure.InvalidJson)]
    [InlineData("[1]", RuleLoadFailure.InvalidField)]
    [InlineData("""{"Identifier": "VR-DE-0001"}""", RuleLoadFailure.MissingField)]
    public void Unreadable_rule_files_are_refused_whole_with_a_typed_reason(string json, RuleLoadFailure expected)
    {
        var loaded = BusinessRuleReader.Read(json);
        Assert.Equal(expected, loaded.Failure);
        Assert.Empty(loaded.Rules);
    }

    [Theory]
    [InlineData("Version", "1.0")]
    [InlineData("ValidFrom", "yesterday")]
    [InlineData("CertificateType", "Passport")]
    [InlineData("Country", "Deutschland")]
    [InlineData("ValidTo", "2021-01-01T00:00:00Z")]
    public void A_rule_with_one_bad_field_refuses_the_whole_file(string field, string value)
    {
        var rules = File.ReadAllText(Path.Combine(RulesDirectory, "DE.json"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(rules)!.AsArray();
        node[2]![field] = value;
        var loaded = BusinessRuleReader.Read(node.ToJsonString());
        Assert.Equal(RuleLoadFailure.InvalidField, loaded.Failure);
        Assert.Contains("rule #3", loaded.Message);
        Assert.Empty(loaded.Rules);
    }
}
