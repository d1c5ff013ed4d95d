using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using VaxCert.Grpc.V1;
using VaxCert.Issuing.Revocation;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Tests.Support;
using VaxCert.Testing;
using VaxCert.Verifier;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Server.Tests;

/// <summary>
/// Issue 13: RevokeFacility / RevokeSigner (operator and admin roles only, idempotent, audited) and the signed, versioned
/// revocation list with deltas, over Grpc.Net.Client with mTLS callers as deployed.
/// </summary>
public sealed class MassRevocationTests : IAsyncLifetime
{
    private OperatorServer _host = null!;

    private IssuerServer _server => _host.Server;

    public async Task InitializeAsync() => _host = await OperatorServer.StartAsync("massrevoke");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Mass_revocation_is_refused_PERMISSION_DENIED_to_every_non_operator_and_revokes_nothing()
    {
        var issued = await IssueAsync("facility-HN001", 700, 701);
        foreach (var cn in new[] { "facility-HN001", "facility-all" })
        {
            var client = Client(cn);
            var facility = await Assert.ThrowsAsync<RpcException>(() =>
                client.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HN001", Reason = "fraud" }).ResponseAsync);
            var signer = await Assert.ThrowsAsync<RpcException>(() =>
                client.RevokeSignerAsync(new RevokeSignerRequest { Kid = ByteString.CopyFrom(DscKid), Reason = "key-compromise" }).ResponseAsync);
            Assert.Equal((StatusCode.PermissionDenied, "MASS_REVOKE_NOT_ALLOWED", null), ServerHost.Failure(facility));
            Assert.Equal((StatusCode.PermissionDenied, "MASS_REVOKE_NOT_ALLOWED", null), ServerHost.Failure(signer));
        }
        // An operator limited to HN001 may neither revoke another facility nor a whole signer (which spans facilities).
        var hanoiOps = Client("operator-HN");
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            hanoiOps.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HCM01", Reason = "fraud" }).ResponseAsync);
        var dsc = await Assert.ThrowsAsync<RpcException>(() =>
            hanoiOps.RevokeSignerAsync(new RevokeSignerRequest { Kid = ByteString.CopyFrom(DscKid), Reason = "key-compromise" }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "MASS_REVOKE_NOT_ALLOWED"), (other.StatusCode, ServerHost.Failure(other).Reason));
        Assert.Equal((StatusCode.PermissionDenied, "MASS_REVOKE_NOT_ALLOWED"), (dsc.StatusCode, ServerHost.Failure(dsc).Reason));

        foreach (var uvci in issued.Select(i => i.Uvci))
            Assert.Equal(CertificateStatus.Issued, (await _server.Service.Ledger.FindByUvciAsync(uvci))!.Status);
        var counts = await _server.Service.Ledger.GetCountsAsync();
        Assert.Equal(0, counts.Revoked);
    }

    [Fact]
    public async Task RevokeFacility_revokes_exactly_that_facility_once_counts_it_and_the_audit_log_verifies()
    {
        var hanoi = await IssueAsync("facility-HN001", 710, 711, 712);
        var saigon = await IssueAsync("facility-HCM01", 713, 714);
        await Client("facility-HN001").RevokeAsync(new RevokeRequest { Uvci = hanoi[0].Uvci, Reason = "data-error" });
        var firstRevocation = (await _server.Service.Ledger.FindByUvciAsync(hanoi[0].Uvci))!;

        var ops = Client("operator-HN");
        var first = await ops.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HN001", Reason = "facility-closed" });
        var again = await ops.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HN001", Reason = "facility-closed" });

        Assert.Equal((2L, 1L), (first.Revoked, first.AlreadyRevoked));
        Assert.Equal((0L, 3L), (again.Revoked, again.AlreadyRevoked)); // idempotent: nothing revoked twice
        foreach (var c in hanoi)
            Assert.Equal(CertificateStatus.Revoked, (await _server.Service.Ledger.FindByUvciAsync(c.Uvci))!.Status);
        foreach (var c in saigon)
            Assert.Equal(CertificateStatus.Issued, (await _server.Service.Ledger.FindByUvciAsync(c.Uvci))!.Status);
        // The earlier single revocation keeps its own time and reason.
        var kept = (await _server.Service.Ledger.FindByUvciAsync(hanoi[0].Uvci))!;
        Assert.Equal((firstRevocation.RevokedAt, "data-error"), (kept.RevokedAt, kept.RevocationReason));

        var audit = new List<AuditEntry>();
        await foreach (var e in _server.Service.Ledger.ReadAuditAsync())
            audit.Add(e);
        var bulk = audit.Where(e => e.Event == nameof(AuditEvent.BulkRevoked)).ToList();
        Assert.Equal([first.AuditSeq, again.AuditSeq], bulk.Select(e => e.Seq));
        Assert.Contains("\"revoked\":\"2\"", bulk[0].DetailsJson);
        Assert.Contains("\"already_revoked\":\"1\"", bulk[0].DetailsJson);
        Assert.Contains("\"actor\":\"grpc:hanoi-ops\"", bulk[0].DetailsJson);
        Assert.Equal(3, audit.Count(e => e.Event == nameof(AuditEvent.Revoked)));
        var report = await _server.Service.Ledger.VerifyAuditChainAsync();
        Assert.True(report.Intact, report.FirstBreak?.Detail);
        Assert.Equal(5, report.CertificatesChecked);
    }

    [Fact]
    public async Task RevokeSigner_by_an_admin_revokes_every_certificate_of_the_kid_and_only_with_a_valid_request()
    {
        var all = (await IssueAsync("facility-HN001", 720, 721)).Concat(await IssueAsync("facility-HCM01", 722)).ToList();
        var admin = Client("ministry-admin");
        var empty = await Assert.ThrowsAsync<RpcException>(() =>
            admin.RevokeSignerAsync(new RevokeSignerRequest { Kid = ByteString.Empty, Reason = "key-compromise" }).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() =>
            admin.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HN001", Reason = "" }).ResponseAsync);
        var badCode = await Assert.ThrowsAsync<RpcException>(() =>
            admin.RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "hn-001", Reason = "fraud" }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "REQUIRED", "kid"), ServerHost.Failure(empty));
        Assert.Equal((StatusCode.InvalidArgument, "REQUIRED", "reason"), ServerHost.Failure(noReason));
        Assert.Equal((StatusCode.InvalidArgument, "FORMAT", "facility_code"), ServerHost.Failure(badCode));

        var unknownKid = await admin.RevokeSignerAsync(new RevokeSignerRequest { Kid = ByteString.CopyFrom(new byte[8]), Reason = "key-compromise" });
        Assert.Equal((0L, 0L), (unknownKid.Revoked, unknownKid.AlreadyRevoked));
        var revoked = await admin.RevokeSignerAsync(new RevokeSignerRequest { Kid = ByteString.CopyFrom(DscKid), Reason = "key-compromise" });
        Assert.Equal((3L, 0L), (revoked.Revoked, revoked.AlreadyRevoked));
        foreach (var c in all)
            Assert.True((await Client("facility-all").GetCertificateAsync(new GetCertificateRequest { Uvci = c.Uvci })).Revoked);
        Assert.True((await _server.Service.Ledger.VerifyAuditChainAsync()).Intact);
    }

    [Fact]
    public async Task The_signed_list_holds_a_revoked_certificates_hashes_and_a_delta_holds_exactly_the_new_revocations()
    {
        var hanoi = await IssueAsync("facility-HN001", 730, 731);
        var saigon = await IssueAsync("facility-HCM01", 732, 733);
        var reader = Client("facility-HCM01"); // public material: any authenticated caller
        var empty = await FetchAsync(reader, 0);
        Assert.Equal((0L, 0L), (empty.Document.Version, empty.Document.EntryCount));

        await Client("facility-HN001").RevokeAsync(new RevokeRequest { Uvci = hanoi[0].Uvci, Reason = "data-error" });
        var v1 = await FetchAsync(reader, 0);
        Assert.True(v1.Document.Version > 0);
        Assert.Equal((0L, 3L), (v1.Header.SinceVersion, v1.Header.Entries)); // UCI, COUNTRYCODEUCI, SIGNATURE of one certificate
        Assert.True(Lists(v1.Document, hanoi[0].Hc1));
        Assert.False(Lists(v1.Document, hanoi[1].Hc1));
        var entries = RevocationEntries.FromHc1(hanoi[0].Hc1, out _)!;
        Assert.True(v1.Document.Contains(entries.KeyId!, RevocationHashType.Uci, RevocationHashes.Uci(hanoi[0].Uvci)));

        await Client("operator-HN").RevokeFacilityAsync(new RevokeFacilityRequest { FacilityCode = "HN001", Reason = "facility-closed" });
        await Client("facility-HCM01").RevokeAsync(new RevokeRequest { Uvci = saigon[1].Uvci, Reason = "data-error" });
        var delta = await FetchAsync(reader, v1.Document.Version);
        var v2 = await FetchAsync(reader, 0);

        Assert.Equal((v1.Document.Version, v2.Document.Version), (delta.Document.SinceVersion, delta.Document.Version));
        Assert.Equal(6L, delta.Document.EntryCount); // exactly the two new certificates
        Assert.False(Lists(delta.Document, hanoi[0].Hc1));
        Assert.True(Lists(delta.Document, hanoi[1].Hc1) && Lists(delta.Document, saigon[1].Hc1));
        Assert.False(Lists(v2.Document, saigon[0].Hc1));
        var applied = v1.Document.Apply(delta.Document, out var failure)!;
        Assert.Equal(RevocationListFailure.None, failure);
        Assert.Equal(v2.Document.Encode().Length, applied.Encode().Length);
        Assert.Equal(v2.Document.Partitions.SelectMany(p => p.Hashes).Select(Convert.ToHexString).Order(),
            applied.Partitions.SelectMany(p => p.Hashes).Select(Convert.ToHexString).Order());
        // Nothing new: the delta from the current version is empty and keeps that version.
        var none = await FetchAsync(reader, v2.Document.Version);
        Assert.Equal((v2.Document.Version, 0L), (none.Document.Version, none.Document.EntryCount));

        // The verifier SDK, given the published list, answers Revoked for the listed certificate and Valid for the other.
        var verifier = new CertificateVerifier(VaxCert.Verifier.Trust.TrustList.Create([Dsc], DateTimeOffset.UtcNow),
            new VerifierOptions { AdditionalChecks = [new PartitionedRevocationCheck(v2.Document.ToPartitionedList())] });
        Assert.Equal(ReasonCode.Revoked, verifier.Verify(hanoi[1].Hc1).Reason);
        Assert.Equal(VerificationOutcome.Valid, verifier.Verify(saigon[0].Hc1).Outcome);

        var ahead = await Assert.ThrowsAsync<RpcException>(() => FetchAsync(reader, v2.Document.Version + 1_000));
        Assert.Equal((StatusCode.InvalidArgument, "SINCE_VERSION_AHEAD", "since_version"), ServerHost.Failure(ahead));
    }

    [Fact]
    public async Task A_tampered_or_foreign_list_is_refused_with_a_typed_failure()
    {
        var issued = await IssueAsync("facility-HN001", 740);
        await Client("facility-HN001").RevokeAsync(new RevokeRequest { Uvci = issued[0].Uvci, Reason = "data-error" });
        var signed = (await FetchAsync(Client("facility-HN001"), 0)).Signed;

        var tampered = (byte[])signed.Clone();
        tampered[^80] ^= 1; // inside the payload's hashes
        using var other = TestPki.CreateSoftwareSigner(VaxCert.Core.Signing.CoseAlgorithm.ES256);
        Assert.Null(RevocationListReader.TryOpen(tampered, [Dsc], out var bad));
        Assert.Null(RevocationListReader.TryOpen(signed, [TestPki.PublicOnly(other.Certificate)], out var unknown));
        Assert.Null(RevocationListReader.TryOpen(signed.AsMemory(0, signed.Length / 2), [Dsc], out var cut));
        Assert.Equal(RevocationListFailure.SignatureInvalid, bad);
        Assert.Equal(RevocationListFailure.UnknownSigner, unknown);
        Assert.Equal(RevocationListFailure.NotCoseSign1, cut);
    }

    private X509Certificate2 Dsc => TestPki.PublicOnly(_server.Service.Signer.Certificate);

    private byte[] DscKid => _server.Service.Signer.KeyId.ToArray();

    private static bool Lists(RevocationListDocument list, string hc1)
    {
        var entries = RevocationEntries.FromHc1(hc1, out _)!;
        return new[] { RevocationHashType.Uci, RevocationHashType.CountryCodeUci, RevocationHashType.Signature }
            .All(t => list.Contains(entries.KeyId!, t, entries.Get(t)!));
    }

    private async Task<(RevocationListDocument Document, RevocationListChunk Header, byte[] Signed)> FetchAsync(Issuer.IssuerClient client, long since)
    {
        using var call = client.GetRevocationList(new GetRevocationListRequest { SinceVersion = since });
        using var bytes = new MemoryStream();
        RevocationListChunk? header = null;
        while (await call.ResponseStream.MoveNext())
        {
            header ??= call.ResponseStream.Current;
            call.ResponseStream.Current.Data.WriteTo(bytes);
        }
        var signed = bytes.ToArray();
        Assert.Equal(header!.TotalBytes, signed.Length);
        var document = RevocationListReader.TryOpen(signed, [Dsc], out var failure);
        Assert.True(document is not null, $"the published list does not open: {failure}");
        Assert.Equal((header.Version, header.SinceVersion, header.Entries), (document!.Version, document.SinceVersion, document.EntryCount));
        return (document, header, signed);
    }

    private Task<List<IssueResponse>> IssueAsync(string cn, params int[] seeds) => _host.IssueAsync(cn, seeds);

    private Issuer.IssuerClient Client(string cn) => _host.Client(cn);
}
