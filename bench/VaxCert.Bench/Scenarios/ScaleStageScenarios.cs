using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Identity;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Grpc;
using VaxCert.Server.Issuance;

namespace VaxCert.Bench.Scenarios;

/// <summary>
/// Where the core-µs of one IssueBatch certificate go (issue 11): each server and client stage of
/// <c>issuebatch-grpc-sqlite</c> timed alone, on one thread, over the same 5,000 co-signed records (fastest of the
/// rounds). The subject is the sum of the stages; the baseline the bare ES256 signature, as in the scale scenario.
/// </summary>
public static class ScaleStageScenarios
{
    private const int Records = 5_000;
    private const int Chunk = 256;

    public static IEnumerable<Scenario> All =>
    [
        new("issuebatch-stages", $"core-µs per certificate of each IssueBatch stage alone ({Records} records, one thread), vs bare ES256 sign",
            Stages, RunByDefault: false),
    ];

    private static BenchResult Stages(BenchContext context)
    {
        var keys = Path.Combine(ScaleScenarios.RepoRoot(), "keys-dev");
        using var signer = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.DscEs256Certificate), Path.Combine(keys, DevPkiLayout.DscEs256Key));
        using var facility = SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.FacilityCertificate("HN001")),
            Path.Combine(keys, DevPkiLayout.FacilityKey("HN001")));
        var trust = TrustMaterial.LoadFacilityDirectory(keys, [signer.Certificate]);
        var settings = IssuerSettings.Default;
        var issuer = Hc1Issuer.Create(signer, settings);
        var verifier = new FacilityAttestationVerifier(trust.FacilityTrust);
        var run = Guid.NewGuid().ToString("N")[..8];
        var request = new IssueBatchRequest();
        request.Records.AddRange(Enumerable.Range(0, Records).Select(i => ServerScenarios.ToRequest(ServerScenarios.CoSign(facility, $"{run}-{i}"))));
        var wire = request.ToByteArray();
        var mapped = request.Records.Select(r => IssueRequestMapper.Map(r).Submission!).ToArray();
        var dccs = mapped.Select(s => DccMapper.EncodeDcc(s.Record, settings)!).ToArray();
        var now = DateTimeOffset.UtcNow;
        var claims = mapped.Select(s => s.Attestation.EncodeClaim()).ToArray();
        var issued = mapped.Select((s, i) => issuer.Issue(s.Record, claims[i]).Certificate!).ToArray();
        var toRecord = mapped.Select((s, i) => new CertificateToRecord(issued[i].Uvci, s.FacilityCode, s.FacilityRecordId,
            RecordHash.Of(issued[i].DccCbor, s.Record.Nationality), claims[i], issued[i].SignerKeyId, issued[i].IssuedAt,
            issued[i].ExpiresAt, issued[i].Hc1)).ToArray();
        var served = toRecord.Select(c => new ServedCertificate(c.Uvci, c.Hc1, c.IssuedAt, c.ExpiresAt, c.SignerKid, false)).ToArray();
        var results = served.Select((c, i) => new IssueBatchResult { Index = i, FacilityRecordId = mapped[i].FacilityRecordId,
            Issued = IssueResponseMapper.Map(c, null) }).ToArray();
        var resultWire = results.Select(r => r.ToByteArray()).ToArray();
        var facilityCertificate = trust.FacilityTrust.Find(mapped[0].Attestation.KeyId)!;
        using var facilityKey = facilityCertificate.GetECDsaPublicKey()!;
        var tbs = mapped.Select((s, i) => VaxCert.Core.Chain.FacilityAttestation.ToBeSigned(s.Attestation.Algorithm, s.Attestation.KeyId, dccs[i], s.Record.Nationality)).ToArray();

        var idempotencyKeys = mapped.Select(s => (s.FacilityCode, s.FacilityRecordId)).ToArray();
        var dir = Directory.CreateTempSubdirectory("vaxcert-bench-stages-").FullName;
        var ledgerRound = 0;
        ICertificateLedger? ledger = null;
        double ledgerCpu = double.MaxValue;
        try
        {
            var stages = new (string Name, Action<int> Op, bool Whole)[]
            {
                ("client_serialize_request", _ => request.ToByteArray(), true),
                ("server_parse_request", _ => IssueBatchRequest.Parser.ParseFrom(wire), true),
                ("request_mapping", i => IssueRequestMapper.Map(request.Records[i]), false),
                ("key_checks", i => { PersonalIdentifierLikeness.Classify(mapped[i].FacilityRecordId); FacilityAttestationVerifier.FacilityOfUvci(mapped[i].Record.CertificateId); }, false),
                ("dcc_encode_for_cosignature", i => DccMapper.EncodeDcc(mapped[i].Record, settings), false),
                ("cosignature_verify", i => verifier.Verify(dccs[i], mapped[i].Record.Nationality, mapped[i].Attestation, mapped[i].Record.CertificateId, now), false),
                ("of_which_bare_ecdsa_verify", i => facilityKey.VerifyData(tbs[i], mapped[i].Attestation.Value, System.Security.Cryptography.HashAlgorithmName.SHA256), false),
                ("issue_hc1", i => issuer.Issue(mapped[i].Record, claims[i]), false),
                ("record_hash_and_claim", i => { RecordHash.Of(issued[i].DccCbor, mapped[i].Record.Nationality); mapped[i].Attestation.EncodeClaim(); }, false),
                ("ledger_lookup_256", _ => Lookup(ledger!, idempotencyKeys), true),
                ("ledger_group_commit_256_wall", _ => ledgerCpu = Math.Min(ledgerCpu, Commit(ledger!, toRecord)), true),
                ("response_mapping", i => IssueResponseMapper.Map(served[i], null), false),
                ("server_serialize_results", i => results[i].ToByteArray(), false),
                ("client_parse_results", i => IssueBatchResult.Parser.ParseFrom(resultWire[i]), false),
            };
            var best = new double[stages.Length];
            Array.Fill(best, double.MaxValue);
            var rounds = Math.Max(3, (int)(context.Duration.TotalSeconds / 2));
            for (var round = 0; round < rounds; round++)
                for (var s = 0; s < stages.Length; s++)
                {
                    if (stages[s].Name.StartsWith("ledger", StringComparison.Ordinal))
                        ledger = LedgerSpec.Parse("sqlite:" + Path.Combine(dir, $"ledger-{ledgerRound++}.db")).OpenAsync().GetAwaiter().GetResult();
                    var sw = Stopwatch.StartNew();
                    if (stages[s].Whole) stages[s].Op(0);
                    else for (var i = 0; i < Records; i++) stages[s].Op(i);
                    best[s] = Math.Min(best[s], sw.Elapsed.TotalMicroseconds / Records);
                    ledger?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    ledger = null;
                }
            var extra = new Dictionary<string, object>();
            double sum = 0;
            for (var s = 0; s < stages.Length; s++)
            {
                extra["us_" + stages[s].Name] = best[s];
                if (!stages[s].Name.StartsWith("of_which", StringComparison.Ordinal)) sum += best[s];
            }
            // The commit waits for fsync: count its CPU (process time, one thread working) rather than its wall time.
            extra["us_ledger_group_commit_256_cpu"] = ledgerCpu;
            sum += ledgerCpu - best[Array.FindIndex(stages, t => t.Name == "ledger_group_commit_256_wall")];
            extra["us_sum_of_stages"] = sum;
            extra["records"] = Records;
            var bare = ScaleScenarios.BareSignRate(null, context.Duration / 2);
            return new BenchResult("issuebatch-stages", 1e6 / sum, "bare ECDsa.SignData P-256, 1 thread, same DSC key, 320-byte payload", bare, extra);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>The idempotency lookup IssueBatch makes before signing, 256 keys a query (none recorded yet: new records).</summary>
    private static void Lookup(ICertificateLedger ledger, (string, string)[] keys)
    {
        foreach (var chunk in keys.Chunk(Chunk))
            ledger.FindByFacilityRecordsAsync(chunk, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>All records into a fresh durable SQLite ledger, 256 a group commit (as IssueBatch chunks them); the CPU µs per record.</summary>
    private static double Commit(ICertificateLedger ledger, CertificateToRecord[] records)
    {
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var chunk in records.Chunk(Chunk))
            ledger.RecordIssuedManyAsync(chunk, CancellationToken.None).GetAwaiter().GetResult();
        return (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / records.Length;
    }
}
