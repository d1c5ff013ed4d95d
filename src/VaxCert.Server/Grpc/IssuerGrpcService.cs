using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaxCert.Core.Chain;
using VaxCert.Grpc.Errors;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;
using VaxCert.Server.Security;

namespace VaxCert.Server.Grpc;

/// <summary>
/// vaxcert.v1.Issuer over <see cref="CertificateIssuanceService"/>: maps protobuf to the service and outcomes to statuses,
/// and authorises each call by facility. The caller was authenticated and rate-limited by the interceptors
/// (<see cref="CallerAuthenticationInterceptor"/>, <see cref="RateLimitInterceptor"/>); infrastructure failures become
/// statuses in <see cref="LedgerFailureStatusMap"/>. No issuance logic lives here.
/// </summary>
public sealed class IssuerGrpcService(CertificateIssuanceService service, int maxBatchRecords, ILogger<IssuerGrpcService> log,
    Metrics.IssuanceMetrics? metrics = null)
    : Issuer.IssuerBase
{
    /// <inheritdoc />
    public override async Task<IssueResponse> Issue(IssueRequest request, ServerCallContext context)
    {
        var outcome = await IssueOneAsync(request, context.Caller(), context.CancellationToken).ConfigureAwait(false);
        return outcome.Certificate is { } issued
            ? IssueResponseMapper.Map(issued, request.Options)
            : throw RefusalStatus.ToException(outcome.Refusal!);
    }

    /// <inheritdoc />
    public override async Task IssueBatch(IssueBatchRequest request, IServerStreamWriter<IssueBatchResult> results, ServerCallContext context)
    {
        if (request.Records.Count > maxBatchRecords)
            throw GrpcErrors.Create(StatusCode.ResourceExhausted,
                $"records: a batch may carry at most {maxBatchRecords} records, got {request.Records.Count}", "BATCH_TOO_LARGE", "records");
        var caller = context.Caller();
        metrics?.BatchSize(request.Records.Count);
        var chunks = request.Records.Chunk(ChunkRecords).ToArray();
        // Several chunks in flight: later ones are checked and signed while earlier ones commit (one group commit per
        // chunk in the ledger, serial). Results stream in request order, each only after its record is durable.
        var perChunkParallelism = chunks.Length == 1 ? Environment.ProcessorCount : 1; // several chunks already fill the cores
        var inFlight = new Queue<Task<IssueOutcome[]>>(ChunksInFlight);
        var started = 0;
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        int issued = 0, refused = 0;
        try
        {
            for (var c = 0; c < chunks.Length; c++)
            {
                context.CancellationToken.ThrowIfCancellationRequested(); // a cancelled or expired batch stops between chunks
                while (started < chunks.Length && started < c + ChunksInFlight)
                    inFlight.Enqueue(StartChunk(chunks[started++], perChunkParallelism, caller, context.CancellationToken));
                var outcomes = await inFlight.Dequeue().ConfigureAwait(false);
                for (var k = 0; k < outcomes.Length; k++)
                {
                    var record = chunks[c][k];
                    var outcome = outcomes[k];
                    if (outcome.Refusal is { Kind: RefusalKind.SignerUnavailable or RefusalKind.SignerNotUsable } down)
                        throw RefusalStatus.ToException(down); // concerns the whole batch: no later record could be signed either
                    var result = new IssueBatchResult { Index = c * ChunkRecords + k, FacilityRecordId = record.FacilityRecordId };
                    if (outcome.Certificate is { } certificate)
                    {
                        result.Issued = IssueResponseMapper.Map(certificate, record.Options);
                        issued++;
                    }
                    else
                    {
                        result.Refused = RefusalStatus.ToProto(outcome.Refusal!);
                        refused++;
                    }
                    // One flush (one HTTP/2 DATA write) per chunk, not per record: every result of the chunk is already
                    // durable, and flushing each of 5,000 small messages cost more than encoding them.
                    results.WriteOptions = k < outcomes.Length - 1 ? Buffered : null;
                    await results.WriteAsync(result, context.CancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Chunks already started still finish (each record durable or not, exactly once); nobody awaits them now.
            while (inFlight.Count > 0) Forget(inFlight.Dequeue());
            log.LogInformation("IssueBatch from {Caller} stopped after {Streamed} of {Records} results ({Issued} issued, {Refused} refused)",
                caller.Name, issued + refused, request.Records.Count, issued, refused);
            throw;
        }
        // One line per batch (the per-certificate lines are Debug): ids and counts only, never record contents.
        log.LogInformation("IssueBatch from {Caller}: {Issued} issued, {Refused} refused of {Records} records in {Elapsed:F0} ms",
            caller.Name, issued, refused, request.Records.Count, System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
    }

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    /// <summary>Records per ledger group in IssueBatch: large enough to amortise the commit, small enough to stream early.</summary>
    private const int ChunkRecords = 256;

    /// <summary>
    /// Chunks of one batch in flight: one committing (the ledger writes groups one at a time) and one signing on each core.
    /// Each chunk signs on one thread; a batch of one chunk signs on every core instead. Against two chunks each spread
    /// over every core: certificates/s +8% and fraction of bare +11% on the means of four alternating pairs, higher core
    /// utilisation (docs/performance.md).
    /// </summary>
    private static readonly int ChunksInFlight = Environment.ProcessorCount + 1;

    private Task<IssueOutcome[]> StartChunk(IssueRequest[] records, int parallelism, Caller caller, CancellationToken cancellationToken)
        => Task.Run(() => IssueChunkAsync(records, parallelism, caller, cancellationToken), cancellationToken);

    private async Task<IssueOutcome[]> IssueChunkAsync(IssueRequest[] records, int parallelism, Caller caller, CancellationToken cancellationToken)
    {
        var outcomes = new IssueOutcome[records.Length];
        var submissions = new List<CoSignedRecord>(records.Length);
        var at = new List<int>(records.Length);
        for (var i = 0; i < records.Length; i++)
        {
            var (submission, refused) = Prepare(records[i], caller);
            if (refused is not null)
                outcomes[i] = refused;
            else
            {
                submissions.Add(submission!);
                at.Add(i);
            }
        }
        var issued = await service.IssueManyAsync(submissions, parallelism, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < at.Count; k++)
            outcomes[at[k]] = issued[k];
        foreach (var outcome in outcomes) Count(outcome);
        return outcomes;
    }

    /// <summary>A chunk whose results will not be streamed (the batch failed): its exception must not go unobserved.</summary>
    private static void Forget(Task? task) => task?.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

    /// <inheritdoc />
    public override async Task<RevokeResponse> Revoke(RevokeRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (!caller.CanRevoke)
            throw GrpcErrors.Create(StatusCode.PermissionDenied, $"caller '{caller.Name}' may not revoke", "REVOKE_NOT_ALLOWED");
        await AuthorizeCertificateAsync(caller, request.Uvci, context.CancellationToken).ConfigureAwait(false);
        var outcome = await service.RevokeAsync(request.Uvci, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            RevocationStatus.Revoked or RevocationStatus.AlreadyRevoked => new RevokeResponse
            {
                RevokedAt = Timestamp.FromDateTimeOffset(outcome.RevokedAt!.Value),
                AlreadyRevoked = outcome.Status == RevocationStatus.AlreadyRevoked,
            },
            RevocationStatus.NotFound => throw NotFound(),
            _ => throw GrpcErrors.Create(StatusCode.InvalidArgument, $"{ReasonCodes.ToSnake(outcome.Field!)}: {outcome.Message}",
                ReasonCodes.Format, ReasonCodes.ToSnake(outcome.Field!)),
        };
    }

    /// <inheritdoc />
    public override async Task<IssueResponse> GetCertificate(GetCertificateRequest request, ServerCallContext context)
    {
        var entry = await AuthorizeCertificateAsync(context.Caller(), request.Uvci, context.CancellationToken).ConfigureAwait(false);
        var certificate = await service.GetAsync(request.Uvci, context.CancellationToken).ConfigureAwait(false);
        if (certificate is null)
            throw NotFound();
        var response = IssueResponseMapper.Map(certificate, request.Options);
        response.Revoked |= entry?.Status == CertificateStatus.Revoked;
        return response;
    }

    /// <inheritdoc />
    public override async Task<TrustList> GetTrustList(GetTrustListRequest request, ServerCallContext context)
    {
        // Public material (what every verifier downloads): any authenticated caller may read it.
        var since = request.RevocationsSince?.ToDateTimeOffset();
        var snapshot = await service.GetTrustListAsync(since, context.CancellationToken).ConfigureAwait(false);
        return TrustListMapper.Map(snapshot, service.Settings.Country);
    }

    /// <inheritdoc />
    public override Task<MassRevokeResponse> RevokeFacility(RevokeFacilityRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (!caller.IsOperator || !caller.MayActFor(request.FacilityCode))
            throw MassRevokeDenied(caller, caller.IsOperator ? "may not act for this facility" : "needs the operator or admin role");
        return MassRevokeAsync(new RevocationScope.Facility(request.FacilityCode), request.Reason, caller, context.CancellationToken);
    }

    /// <inheritdoc />
    public override Task<MassRevokeResponse> RevokeSigner(RevokeSignerRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (!caller.IsOperator || !caller.ActsForAnyFacility)
            throw MassRevokeDenied(caller, caller.IsOperator ? "must act for every facility (\"*\") to revoke a signer" : "needs the operator or admin role");
        return MassRevokeAsync(new RevocationScope.Signer(request.Kid.ToByteArray()), request.Reason, caller, context.CancellationToken);
    }

    /// <inheritdoc />
    public override async Task GetRevocationList(GetRevocationListRequest request, IServerStreamWriter<RevocationListChunk> responseStream,
        ServerCallContext context)
    {
        // Public material (what every verifier downloads): any authenticated caller may read it.
        PublishedRevocationList? list;
        RevocationListRefusal? refusal;
        try
        {
            (list, refusal) = await service.RevocationLists.GetAsync(request.SinceVersion, context.CancellationToken).ConfigureAwait(false);
        }
        catch (VaxCert.Core.Signing.SigningException e)
        {
            log.LogError("Cannot sign the revocation list: {Failure}", e.Message);
            throw GrpcErrors.Create(StatusCode.Unavailable, "the signing key is not available; retry later", "SIGNER_UNAVAILABLE");
        }
        if (list is null)
            throw refusal == RevocationListRefusal.SinceVersionAhead
                ? GrpcErrors.Create(StatusCode.InvalidArgument, "since_version: not a version of this issuer's revocation list (beyond the ledger)",
                    "SINCE_VERSION_AHEAD", "since_version")
                : GrpcErrors.Create(StatusCode.FailedPrecondition, "this server's ledger cannot publish revocation lists", "REVOCATION_LIST_UNSUPPORTED");
        const int chunk = 1024 * 1024;
        for (var offset = 0; offset == 0 || offset < list.Signed.Length; offset += chunk)
        {
            var message = new RevocationListChunk
            {
                Data = Google.Protobuf.ByteString.CopyFrom(list.Signed, offset, Math.Min(chunk, list.Signed.Length - offset)),
            };
            if (offset == 0)
            {
                message.Version = list.Version;
                message.SinceVersion = list.SinceVersion;
                message.Entries = list.Entries;
                message.TotalBytes = list.Signed.Length;
                message.IssuedAt = Timestamp.FromDateTimeOffset(list.IssuedAt);
            }
            await responseStream.WriteAsync(message, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Re-issues one certificate or an expiry wave (docs/grpc.md, "Reissue"): operator or admin acting for the facility
    /// concerned (every facility for a wave without facility_code); one progress message per committed chunk.
    /// </summary>
    public override async Task Reissue(ReissueRequest request, IServerStreamWriter<ReissueProgress> responseStream, ServerCallContext context)
    {
        var caller = context.Caller();
        var ct = context.CancellationToken;
        if (!caller.IsOperator)
            throw ReissueDenied(caller, "needs the operator or admin role");
        ReissueSelection selection;
        switch (request.SelectionCase)
        {
            case ReissueRequest.SelectionOneofCase.Uvci:
                selection = new ReissueSelection.One(request.Uvci);
                break;
            case ReissueRequest.SelectionOneofCase.Wave when request.Wave.ExpiringBefore is { } before:
                var facility = string.IsNullOrEmpty(request.Wave.FacilityCode) ? null : request.Wave.FacilityCode;
                if (facility is null ? !caller.ActsForAnyFacility : !caller.MayActFor(facility))
                    throw ReissueDenied(caller, facility is null ? "must act for every facility (\"*\") to re-issue a wave of all facilities"
                        : "may not act for this facility");
                selection = new ReissueSelection.Expiring(before.ToDateTimeOffset(), facility);
                break;
            default:
                throw GrpcErrors.Create(StatusCode.InvalidArgument, "selection: give uvci, or wave with expiring_before", ReasonCodes.Required,
                    request.SelectionCase == ReissueRequest.SelectionOneofCase.Wave ? "expiring_before" : "uvci");
        }
        var cursor = string.IsNullOrEmpty(request.Cursor) ? null : request.Cursor;
        var reissuer = service.Reissuer;
        if (reissuer.Check(selection, cursor) is { } refused)
            throw GrpcErrors.Create(StatusCode.InvalidArgument, $"{refused.Field}: {refused.Message}", refused.Reason, refused.Field);
        if (selection is ReissueSelection.One one)
        {
            var entry = await AuthorizeCertificateAsync(caller, one.Uvci, ct).ConfigureAwait(false);
            if (entry is null)
                throw NotFound();
        }
        log.LogInformation("Caller {Caller} starts a re-issue of {Selection} (cursor {Cursor})", caller.Name, selection.Kind, cursor ?? "-");
        try
        {
            await foreach (var progress in reissuer.RunAsync(selection, cursor, "grpc:" + caller.Name, cancellationToken: ct).ConfigureAwait(false))
                await responseStream.WriteAsync(ReissueMapper.Map(progress, request.WantHc1), ct).ConfigureAwait(false);
        }
        catch (ReissueSignerException e)
        {
            log.LogError("Re-issue stopped: the signer cannot sign ({Reason})", e.Reason);
            throw GrpcErrors.Create(StatusCode.Unavailable, "the signing key is not available; resume with the last cursor later", e.Reason);
        }
    }

    private RpcException ReissueDenied(Caller caller, string why)
    {
        log.LogWarning("Caller {Caller} was refused a re-issue: {Why}", caller.Name, why);
        return GrpcErrors.Create(StatusCode.PermissionDenied, $"caller '{caller.Name}' {why}", "REISSUE_NOT_ALLOWED");
    }

    private async Task<MassRevokeResponse> MassRevokeAsync(RevocationScope scope, string reason, Caller caller, CancellationToken cancellationToken)
    {
        var outcome = await service.RevokeAllAsync(scope, reason, "grpc:" + caller.Name, cancellationToken).ConfigureAwait(false);
        if (outcome.Result is not { } result)
            throw GrpcErrors.Create(StatusCode.InvalidArgument, $"{ReasonCodes.ToSnake(outcome.Field!)}: {outcome.Message}", outcome.Reason!,
                ReasonCodes.ToSnake(outcome.Field!));
        return new MassRevokeResponse { Revoked = result.Revoked, AlreadyRevoked = result.AlreadyRevoked, AuditSeq = result.AuditSeq };
    }

    private RpcException MassRevokeDenied(Caller caller, string why)
    {
        log.LogWarning("Caller {Caller} was refused a mass revocation: {Why}", caller.Name, why);
        return GrpcErrors.Create(StatusCode.PermissionDenied, $"caller '{caller.Name}' {why}", "MASS_REVOKE_NOT_ALLOWED");
    }

    private async Task<IssueOutcome> IssueOneAsync(IssueRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var (submission, refused) = Prepare(request, caller);
        var outcome = refused ?? await service.IssueAsync(submission!, cancellationToken).ConfigureAwait(false);
        Count(outcome);
        return outcome;
    }

    /// <summary>Authorisation by facility and protobuf mapping: a submission for the service, or the refusal.</summary>
    private (CoSignedRecord? Submission, IssueOutcome? Refused) Prepare(IssueRequest request, Caller caller)
    {
        if (!caller.MayActFor(request.FacilityCode))
        {
            log.LogWarning("Caller {Caller} may not submit for facility {Facility}", caller.Name, request.FacilityCode);
            return (null, IssueOutcome.Refused(RefusalKind.AttestationRejected, FacilityNotAllowed, "facility_code",
                $"caller '{caller.Name}' may not submit records for this facility"));
        }
        var (submission, invalid) = IssueRequestMapper.Map(request);
        return invalid is not null ? (null, IssueOutcome.Refused(invalid.Kind, invalid.Reason, invalid.Field, invalid.Message)) : (submission, null);
    }

    /// <summary>Counts each final outcome once (issued, replayed or refused by reason) for the metrics endpoint.</summary>
    private void Count(IssueOutcome outcome)
    {
        if (metrics is null) return;
        if (outcome.Certificate is { } issued) metrics.Issued(issued.AlreadyIssued);
        else if (outcome.Refusal is { } refusal) metrics.Refused(refusal.Reason);
    }

    private const string FacilityNotAllowed = "FACILITY_NOT_ALLOWED";

    /// <summary>
    /// Refuses a caller that does not act for the certificate's facility. The facility part of the UVCI is checked first,
    /// before any lookup, so a caller cannot learn whether another facility's UVCI exists; then the stored facility.
    /// Returns the stored entry (null when there is none, which the caller answers NOT_FOUND).
    /// </summary>
    private async Task<LedgerEntry?> AuthorizeCertificateAsync(Caller caller, string uvci, CancellationToken cancellationToken)
    {
        if (!caller.ActsForAnyFacility && !caller.MayActFor(FacilityAttestationVerifier.FacilityOfUvci(uvci)))
            throw FacilityDenied(caller);
        if (string.IsNullOrWhiteSpace(uvci))
            return null;
        var entry = await service.Ledger.FindByUvciAsync(uvci, cancellationToken).ConfigureAwait(false);
        return entry is null || caller.MayActFor(entry.Certificate.FacilityCode) ? entry : throw FacilityDenied(caller);
    }

    private RpcException FacilityDenied(Caller caller)
    {
        log.LogWarning("Caller {Caller} asked for a certificate of a facility it does not act for", caller.Name);
        return GrpcErrors.Create(StatusCode.PermissionDenied, $"uvci: caller '{caller.Name}' may not access certificates of this facility",
            FacilityNotAllowed, "uvci");
    }

    private static RpcException NotFound() =>
        GrpcErrors.Create(StatusCode.NotFound, "uvci: no certificate with this UVCI", "NOT_FOUND", "uvci");
}
