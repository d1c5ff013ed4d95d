using System.Diagnostics;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;
using Google.Protobuf;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The signing server: certificates/s through IssueBatch over gRPC on loopback (software dev DSC, SQLite ledger with
/// synchronous=FULL) beside the in-process rate of CertificateIssuanceService on its own ledger in the same run, plus unary
/// Issue latency p50/p99. Uses the committed keys-dev (facility HN001 co-signs).
/// </summary>
public static class ServerScenarios
{
    private const int BatchRecords = 1000, UnaryCalls = 300;

    public static IEnumerable<Scenario> All =>
    [
        new("server-issuebatch-software", $"IssueBatch of {BatchRecords} over gRPC loopback vs CertificateIssuanceService in-process", IssueBatch),
    ];

    private static BenchResult IssueBatch(BenchContext context)
    {
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.FacilityCertificate("HN001")),
            Path.Combine(keys, DevPkiLayout.FacilityKey("HN001")));
        var run = Guid.NewGuid().ToString("N")[..8];
        var dir = Path.Combine(Path.GetTempPath(), "vaxcert-bench-server-" + run);
        Directory.CreateDirectory(dir);

        // In-process: the service alone, its own ledger.
        var inProcess = Task.Run(async () =>
        {
            await using var service = await CertificateIssuanceService.CreateDevelopmentAsync(keys,
                VaxCert.Ledger.LedgerSpec.Parse("sqlite:" + Path.Combine(dir, "inprocess.db")));
            var records = Enumerable.Range(0, BatchRecords).Select(i => CoSign(facility, $"in-{run}-{i}")).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var r in records)
                if (!(await service.IssueAsync(r)).Issued) throw new InvalidOperationException("bench record refused");
            return BatchRecords / clock.Elapsed.TotalSeconds;
        }).GetAwaiter().GetResult();

        var (grpcRate, p50, p99) = Task.Run(async () =>
        {
            await using var server = await IssuerServer.StartAsync(new ServerSettings
            {
                Listen = "127.0.0.1:0", KeysDir = keys, Ledger = "sqlite:" + Path.Combine(dir, "server.db"),
            }, logging => { });
            using var client = new GrpcClient(server.Address);
            var issuer = new IssuerClient(client);
            var batch = new IssueBatchRequest();
            batch.Records.AddRange(Enumerable.Range(0, BatchRecords).Select(i => ToRequest(CoSign(facility, $"grpc-{run}-{i}"))));
            var clock = Stopwatch.StartNew();
            var n = 0;
            await foreach (var r in issuer.IssueBatchAsync(batch))
                if (r.OutcomeCase == IssueBatchResult.OutcomeOneofCase.Issued) n++;
            var rate = n / clock.Elapsed.TotalSeconds;
            var latencies = new List<double>(UnaryCalls);
            for (var i = 0; i < UnaryCalls; i++)
            {
                var request = ToRequest(CoSign(facility, $"unary-{run}-{i}"));
                var t = Stopwatch.StartNew();
                await issuer.IssueAsync(request);
                latencies.Add(t.Elapsed.TotalMilliseconds);
            }
            latencies.Sort();
            return (rate, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
        }).GetAwaiter().GetResult();
        try { Directory.Delete(dir, true); } catch (IOException) { }

        return new BenchResult("server-issuebatch-software", grpcRate,
            "CertificateIssuanceService.IssueAsync in-process, same records/ledger settings", inProcess,
            new Dictionary<string, object>
            {
                ["records"] = BatchRecords, ["ledger"] = "SQLite WAL synchronous=FULL", ["signer"] = "software ES256 (keys-dev)",
                ["unary_issue_p50_ms"] = p50, ["unary_issue_p99_ms"] = p99, ["unary_calls"] = UnaryCalls,
            });
    }

    private static CoSignedRecord CoSign(ICoseSigner facility, string recordId)
    {
        var record = IssuanceScenarios.SampleRecord() with { CertificateId = new DeterministicUvci("VN").For("HN001", recordId) };
        var attestation = VaxCert.Core.Chain.FacilityAttestation.Create(facility, DccMapper.EncodeDcc(record, IssuerSettings.Default)!, record.Nationality);
        return new CoSignedRecord("HN001", recordId, record, attestation);
    }

    private static IssueRequest ToRequest(CoSignedRecord s) => new()
    {
        FacilityCode = s.FacilityCode, FacilityRecordId = s.FacilityRecordId, FamilyName = s.Record.FamilyName,
        GivenName = s.Record.GivenName, DateOfBirth = s.Record.DateOfBirth, Nationality = s.Record.Nationality,
        TargetedDisease = s.Record.TargetedDisease, TotalDoses = s.Record.TotalDoses,
        DateOfVaccination = DccMapper.FormatDate(s.Record.DateOfVaccination), DoseNumber = s.Record.DoseNumber,
        VaccineType = s.Record.VaccineType, VaccineProduct = s.Record.VaccineProduct, Manufacturer = s.Record.Manufacturer,
        CertificateId = s.Record.CertificateId,
        Attestation = new VaxCert.Grpc.V1.FacilityAttestation
        {
            Kid = ByteString.CopyFrom(s.Attestation.KeyId), Algorithm = SignatureAlgorithm.Es256, Signature = ByteString.CopyFrom(s.Attestation.Value),
        },
    };

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VaxCert.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("VaxCert.sln not found; run the bench from the repository");
    }
}
