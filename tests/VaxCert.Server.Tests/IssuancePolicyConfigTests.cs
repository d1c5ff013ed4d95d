using VaxCert.Core.Dcc;
using VaxCert.Ledger;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;

namespace VaxCert.Server.Tests;

/// <summary>The issuance policy and validity come from the server's configuration, and a bad policy never serves.</summary>
public sealed class IssuancePolicyConfigTests
{
    private static readonly IssuancePolicy ComirnatyOnly = IssuancePolicy.Default with
    {
        Vaccines = IssuancePolicy.Default.Vaccines.Where(v => v.Product == "EU/1/20/1528").ToList(),
    };

    [Fact]
    public async Task A_configured_policy_refuses_vaccines_it_does_not_list_and_issues_the_rest()
    {
        await using var open = await CertificateIssuanceService.CreateDevelopmentAsync(RepoPaths.KeysDev, LedgerSpec.Parse("sqlite::memory:"));
        await using var service = new CertificateIssuanceService(open.Signer, open.Trust, open.Ledger, ownsResources: false, policy: ComirnatyOnly);
        var baseRecord = Submissions.Valid(40).Record;
        var pfizer = ApprovedRecord(baseRecord, "EU/1/20/1528");
        var astra = ApprovedRecord(baseRecord, "EU/1/21/1529") with { CertificateId = new Core.Uvci.DeterministicUvci("VN").For("HN001", "R-astra") };

        var issued = await service.IssueAsync(Submissions.CoSign(pfizer, "HN001", "R-40"));
        var refused = await service.IssueAsync(Submissions.CoSign(astra, "HN001", "R-astra"));

        Assert.True(issued.Issued, issued.Refusal?.Message);
        Assert.False(refused.Issued);
        Assert.Equal("VaccineProduct", refused.Refusal!.Field);
        Assert.Contains("NOT_ALLOWED_BY_POLICY", refused.Refusal.Reason);
    }

    [Fact]
    public async Task A_policy_that_does_not_fit_the_EU_value_sets_stops_the_server_before_it_listens()
    {
        var file = Path.Combine(RepoPaths.NewTempDir("policy"), "policy.json");
        File.WriteAllText(file, ComirnatyOnly.ToJson().Replace("ORG-100030215", "ORG-00000000"));
        var settings = ServerHost.Settings();
        settings.Issuer.PolicyFile = file;
        var error = await Assert.ThrowsAsync<ServerStartupException>(() => ServerHost.StartAsync(settings));
        Assert.Contains("issuance policy", error.Message);
    }

    [Fact]
    public async Task Validity_comes_from_configuration()
    {
        var file = Path.Combine(RepoPaths.NewTempDir("policy"), "policy.json");
        File.WriteAllText(file, ComirnatyOnly.ToJson());
        var settings = ServerHost.Settings();
        settings.Issuer.PolicyFile = file;
        settings.Issuer.ValidityMonths = 6;
        await using var server = await ServerHost.StartAsync(settings);
        var record = ApprovedRecord(Submissions.Valid(41).Record, "EU/1/20/1528");
        var outcome = await server.Service.IssueAsync(Submissions.CoSign(record, "HN001", "R-41"));
        Assert.True(outcome.Issued, outcome.Refusal?.Message);
        var months = (outcome.Certificate!.ExpiresAt - outcome.Certificate.IssuedAt).TotalDays / 30.4;
        Assert.InRange(months, 5.8, 6.2);
    }

    private static Core.Model.VaccinationRecord ApprovedRecord(Core.Model.VaccinationRecord r, string product)
    {
        var vaccine = IssuancePolicy.Default.FindVaccine(product)!;
        return r with { VaccineProduct = vaccine.Product, Manufacturer = vaccine.Manufacturer, VaccineType = vaccine.VaccineTypes[0] };
    }
}
