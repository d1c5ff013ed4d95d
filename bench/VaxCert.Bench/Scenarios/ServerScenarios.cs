using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using Grpc.Core;
using VaxCert.Grpc.Client;
using VaxCert.Grpc.V1;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;
using Google.Protobuf;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// The signing server: certificates/s through IssueBatch over gRPC on loopback (SQLite ledger with synchronous=FULL) beside
/// the in-process rate of CertificateIssuanceService with the same signer on its own ledger in the same run, plus unary
/// Issue latency p50/p99. Two signers: the software dev DSC of keys-dev, and an EC P-256 DSC generated on a bench SoftHSM2
/// token (certificate issued by keys-dev/csca). Facility HN001 of keys-dev co-signs. A few issued HC1s are verified
/// against the expected DSC so a run that issues garbage or refusals fails instead of reporting a rate.
/// </summary>
public static class ServerScenarios
{
    private const int BatchRecords = 1000, UnaryCalls = 300;
    private static readonly int[] SampledBatchIndexes = [0, 1, BatchRecords / 2, BatchRecords - 1];

    public static IEnumerable<Scenario> All =>
    [
        new("server-issuebatch-software", $"IssueBatch of {BatchRecords} over gRPC loopback vs CertificateIssuanceService in-process", IssueBatchSoftware),
        new("server-issuebatch-softhsm", $"IssueBatch of {BatchRecords} over gRPC, DSC key on a SoftHSM2 token, vs the service in-process with the same token signer", IssueBatchSoftHsm),
    ];

    private static BenchResult IssueBatchSoftware(BenchContext context)
    {
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        var settings = new ServerSettings { KeysDir = keys, Dev = true };
        using var dsc = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(keys, DevPkiLayout.DscEs256Certificate));
        return Measure("server-issuebatch-software", settings, dsc, "software ES256 (keys-dev)");
    }

    private static BenchResult IssueBatchSoftHsm(BenchContext context)
    {
        var keys = Path.Combine(RepoRoot(), "keys-dev");
        var token = ServerTokenSetup.Provision(keys);
        try
        {
            // The same signer settings `vaxcert serve --token --key --pin-env` binds to; the PIN stays in the environment.
            var settings = new ServerSettings
            {
                KeysDir = keys,
                FacilityTrust = keys,
                Signer = new SignerSettings { Pkcs11Module = token.ModulePath, Token = token.TokenLabel, Key = token.KeyLabel, PinEnv = token.PinVariable },
            };
            return Measure("server-issuebatch-softhsm", settings, token.Certificate,
                $"SoftHSM2 token ES256 ({settings.Signer.PoolSize} sessions), DSC issued by keys-dev/csca");
        }
        finally
        {
            ServerTokenSetup.ForgetPin();
            token.Certificate.Dispose();
        }
    }

    /// <summary>The in-process rate, then the server's batch rate and unary latencies, with the signer <paramref name="settings"/> name.</summary>
    private static BenchResult Measure(string name, ServerSettings settings, X509Certificate2 expectedDsc, string signerDescription)
    {
        using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(settings.KeysDir, DevPkiLayout.FacilityCertificate("HN001")),
            Path.Combine(settings.KeysDir, DevPkiLayout.FacilityKey("HN001")));
        var run = Guid.NewGuid().ToString("N")[..8];
        var dir = Path.Combine(Path.GetTempPath(), "vaxcert-bench-server-" + run);
        Directory.CreateDirectory(dir);
        try
        {
            var inProcess = Task.Run(() => InProcessRate(settings, Path.Combine(dir, "inprocess.db"), facility, run, expectedDsc))
                .GetAwaiter().GetResult();
            settings.Listen = "127.0.0.1:0";
            settings.Ledger = "sqlite:" + Path.Combine(dir, "server.db");
            var (grpcRate, p50, p99) = Task.Run(() => OverGrpc(settings, facility, run, expectedDsc)).GetAwaiter().GetResult();
            return new BenchResult(name, grpcRate,
                "CertificateIssuanceService.IssueAsync in-process, same signer, same records/ledger settings", inProcess,
                new Dictionary<string, object>
                {
                    ["records"] = BatchRecords, ["ledger"] = "SQLite WAL synchronous=FULL", ["signer"] = signerDescription,
                    ["unary_issue_p50_ms"] = p50, ["unary_issue_p99_ms"] = p99, ["unary_calls"] = UnaryCalls,
                    ["verified_samples"] = SampledBatchIndexes.Length + 1,
                });
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    // The service alone on its own ledger, signing through the same SignerFactory the server uses.
    private static async Task<double> InProcessRate(ServerSettings settings, string ledgerPath, ICoseSigner facility, string run,
        X509Certificate2 expectedDsc)
    {
        var signer = SignerFactory.Open(settings);
        var ledger = await VaxCert.Ledger.LedgerSpec.Parse("sqlite:" + ledgerPath).OpenAsync(null);
        await using var service = new CertificateIssuanceService(signer,
            TrustMaterial.LoadFacilityDirectory(settings.FacilityTrustDirectory, [signer.Certificate]), ledger);
        var records = Enumerable.Range(0, BatchRecords).Select(i => CoSign(facility, $"in-{run}-{i}")).ToList();
        var issued = new string[BatchRecords];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < BatchRecords; i++)
        {
            var outcome = await service.IssueAsync(records[i]);
            issued[i] = outcome.Certificate?.Hc1 ?? throw new InvalidOperationException($"bench record refused: {outcome.Refusal?.Reason}");
        }
        var rate = BatchRecords / clock.Elapsed.TotalSeconds;
        VerifySamples(SampledBatchIndexes.Select(i => issued[i]), expectedDsc);
        return rate;
    }

    private static async Task<(double Rate, double P50, double P99)> OverGrpc(ServerSettings settings, ICoseSigner facility, string run,
        X509Certificate2 expectedDsc)
    {
        await using var server = await IssuerServer.StartAsync(settings, logging => { });
        using var channel = GrpcChannels.Create(server.Address);
        var issuer = new Issuer.IssuerClient(channel);
        var batch = new IssueBatchRequest();
        batch.Records.AddRange(Enumerable.Range(0, BatchRecords).Select(i => ToRequest(CoSign(facility, $"grpc-{run}-{i}"))));
        var issued = new string[BatchRecords];
        var clock = Stopwatch.StartNew();
        var n = 0;
        using var call = issuer.IssueBatch(batch);
        await foreach (var r in call.ResponseStream.ReadAllAsync())
        {
            if (r.OutcomeCase != IssueBatchResult.OutcomeOneofCase.Issued)
                throw new InvalidOperationException($"bench record {r.Index} refused: {r.Refused?.Reason}");
            issued[r.Index] = r.Issued.Hc1;
            n++;
        }
        var rate = n / clock.Elapsed.TotalSeconds;
        if (n != BatchRecords) throw new InvalidOperationException($"IssueBatch returned {n} of {BatchRecords} results");
        var latencies = new List<double>(UnaryCalls);
        string? lastUnary = null;
        for (var i = 0; i < UnaryCalls; i++)
        {
            var request = ToRequest(CoSign(facility, $"unary-{run}-{i}"));
            var t = Stopwatch.StartNew();
            lastUnary = (await issuer.IssueAsync(request)).Hc1;
            latencies.Add(t.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        VerifySamples(SampledBatchIndexes.Select(i => issued[i]).Append(lastUnary!), expectedDsc);
        return (rate, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }

    /// <summary>Decodes each HC1 and checks its COSE signature against the DSC the run is meant to sign with.</summary>
    private static void VerifySamples(IEnumerable<string> hc1s, X509Certificate2 expectedDsc)
    {
        foreach (var hc1 in hc1s)
        {
            var decoded = Hc1Decoder.Decode(hc1);
            if (!decoded.Success || !decoded.Message!.VerifySignature(expectedDsc))
                throw new InvalidOperationException($"an issued HC1 does not verify against {expectedDsc.Subject} (decode: {decoded.Failure})");
        }
    }

    internal static CoSignedRecord CoSign(ICoseSigner facility, string recordId)
    {
        var record = IssuanceScenarios.SampleRecord() with { CertificateId = new DeterministicUvci("VN").For("HN001", recordId) };
        var attestation = VaxCert.Core.Chain.FacilityAttestation.Create(facility, DccMapper.EncodeDcc(record, IssuerSettings.Default)!, record.Nationality);
        return new CoSignedRecord("HN001", recordId, record, attestation);
    }

    internal static IssueRequest ToRequest(CoSignedRecord s) => new()
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
