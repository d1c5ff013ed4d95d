using System.Data.Common;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using VaxCert.Grpc;
using VaxCert.Grpc.Server;
using VaxCert.Grpc.V1;
using VaxCert.Ledger;
using VaxCert.Server.Issuance;
using VaxCert.Server.Security;

namespace VaxCert.Server.Grpc;

/// <summary>
/// vaxcert.v1.Issuer over <see cref="CertificateIssuanceService"/>: authenticates the caller, applies its rate limit and
/// facility permissions, maps protobuf to the service and outcomes to statuses. No issuance logic lives here.
/// </summary>
public sealed class IssuerGrpcService(CertificateIssuanceService service, CallerDirectory callers, CallerRateLimiter limiter,
    int maxBatchRecords, ILogger<IssuerGrpcService> log) : IIssuerService
{
    /// <inheritdoc />
    public Task<IssueResponse> IssueAsync(IssueRequest request, GrpcCallContext context) => Guard(async () =>
    {
        var caller = Authorize(context, cost: 1);
        var outcome = await IssueOneAsync(request, caller, context.CancellationToken).ConfigureAwait(false);
        return outcome.Certificate is { } issued
            ? IssueResponseMapper.Map(issued, request.Options)
            : throw RefusalStatus.ToException(outcome.Refusal!);
    });

    /// <inheritdoc />
    public Task IssueBatchAsync(IssueBatchRequest request, GrpcStreamWriter<IssueBatchResult> results, GrpcCallContext context) =>
        Guard(async () =>
        {
            if (request.Records.Count > maxBatchRecords)
                throw new GrpcStatusException(StatusCode.ResourceExhausted,
                    $"records: a batch may carry at most {maxBatchRecords} records, got {request.Records.Count}", "BATCH_TOO_LARGE", "records");
            var caller = Authorize(context, cost: Math.Max(1, request.Records.Count));
            for (var i = 0; i < request.Records.Count; i++)
            {
                context.CancellationToken.ThrowIfCancellationRequested(); // a cancelled or expired batch stops between records
                var record = request.Records[i];
                var outcome = await IssueOneAsync(record, caller, context.CancellationToken).ConfigureAwait(false);
                if (outcome.Refusal is { Kind: RefusalKind.SignerUnavailable or RefusalKind.SignerNotUsable } down)
                    throw RefusalStatus.ToException(down); // concerns the whole batch: no later record could be signed either
                var result = new IssueBatchResult { Index = i, FacilityRecordId = record.FacilityRecordId };
                if (outcome.Certificate is { } issued)
                    result.Issued = IssueResponseMapper.Map(issued, record.Options);
                else
                    result.Refused = RefusalStatus.ToProto(outcome.Refusal!);
                await results.WriteAsync(result).ConfigureAwait(false);
            }
            return true;
        });

    /// <inheritdoc />
    public Task<RevokeResponse> RevokeAsync(RevokeRequest request, GrpcCallContext context) => Guard(async () =>
    {
        var caller = Authorize(context, cost: 1);
        if (!caller.CanRevoke)
            throw new GrpcStatusException(StatusCode.PermissionDenied, $"caller '{caller.Name}' may not revoke", "REVOKE_NOT_ALLOWED");
        var outcome = await service.RevokeAsync(request.Uvci, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            RevocationStatus.Revoked or RevocationStatus.AlreadyRevoked => new RevokeResponse
            {
                RevokedAt = Timestamp.FromDateTimeOffset(outcome.RevokedAt!.Value),
                AlreadyRevoked = outcome.Status == RevocationStatus.AlreadyRevoked,
            },
            RevocationStatus.NotFound => throw new GrpcStatusException(StatusCode.NotFound, "uvci: no certificate with this UVCI", "NOT_FOUND", "uvci"),
            _ => throw new GrpcStatusException(StatusCode.InvalidArgument, $"{ReasonCodes.ToSnake(outcome.Field!)}: {outcome.Message}",
                ReasonCodes.Format, ReasonCodes.ToSnake(outcome.Field!)),
        };
    });

    /// <inheritdoc />
    public Task<IssueResponse> GetCertificateAsync(GetCertificateRequest request, GrpcCallContext context) => Guard(async () =>
    {
        Authorize(context, cost: 1);
        var certificate = await service.GetAsync(request.Uvci, context.CancellationToken).ConfigureAwait(false);
        return certificate is null
            ? throw new GrpcStatusException(StatusCode.NotFound, "uvci: no certificate with this UVCI", "NOT_FOUND", "uvci")
            : IssueResponseMapper.Map(certificate, request.Options);
    });

    /// <inheritdoc />
    public Task<TrustList> GetTrustListAsync(GetTrustListRequest request, GrpcCallContext context) => Guard(async () =>
    {
        Authorize(context, cost: 1);
        var since = request.RevocationsSince?.ToDateTimeOffset();
        var snapshot = await service.GetTrustListAsync(since, context.CancellationToken).ConfigureAwait(false);
        return TrustListMapper.Map(snapshot, service.Settings.Country);
    });

    private async Task<IssueOutcome> IssueOneAsync(IssueRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.MaySubmitFor(request.FacilityCode))
        {
            log.LogWarning("Caller {Caller} may not submit for facility {Facility}", caller.Name, request.FacilityCode);
            return IssueOutcome.Refused(RefusalKind.AttestationRejected, "FACILITY_NOT_ALLOWED", "facility_code",
                $"caller '{caller.Name}' may not submit records for this facility");
        }
        var (submission, invalid) = IssueRequestMapper.Map(request);
        return invalid is not null ? IssueOutcome.Refused(invalid.Kind, invalid.Reason, invalid.Field, invalid.Message)
            : await service.IssueAsync(submission!, cancellationToken).ConfigureAwait(false);
    }

    private Caller Authorize(GrpcCallContext context, int cost)
    {
        var (resolution, caller) = callers.Resolve(context.ClientCertificate);
        switch (resolution)
        {
            case CallerResolution.Unauthenticated:
                throw new GrpcStatusException(StatusCode.Unauthenticated, "a client certificate is required", "UNAUTHENTICATED");
            case CallerResolution.UnknownCertificate:
                log.LogWarning("Refused a client certificate that matches no configured caller (peer {Peer})", context.Peer);
                throw new GrpcStatusException(StatusCode.PermissionDenied, "this client certificate is not registered as a caller",
                    "UNKNOWN_CALLER");
        }
        if (!limiter.TryAcquire(caller!.Name, cost))
            throw new GrpcStatusException(StatusCode.ResourceExhausted,
                cost > limiter.Capacity ? $"request needs {cost} rate tokens, the bucket holds {limiter.Capacity}" : "rate limit exceeded; retry later",
                "RATE_LIMITED");
        return caller;
    }

    /// <summary>Infrastructure failures become UNAVAILABLE; their text stays in the server log.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is LedgerException or DbException or TimeoutException)
        {
            log.LogError(e, "Ledger unavailable");
            throw new GrpcStatusException(StatusCode.Unavailable, "the ledger is unavailable; retry later", "LEDGER_UNAVAILABLE");
        }
    }
}
