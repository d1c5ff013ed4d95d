using System.Collections.Concurrent;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace VaxCert.Grpc.Server;

/// <summary>
/// The standard grpc.health.v1.Health/Check. Each service name has a probe (e.g. "is the signing token present?");
/// the empty name is the server as a whole and answers SERVING unless a probe is registered for it. Unknown names get
/// NOT_FOUND, as the health-checking spec requires. Watch is not offered (clients get UNIMPLEMENTED and do not retry).
/// </summary>
public sealed class GrpcHealthService
{
    /// <summary>The full path of Check.</summary>
    public const string CheckPath = "/grpc.health.v1.Health/Check";

    private readonly ConcurrentDictionary<string, Func<CancellationToken, ValueTask<ServingStatus>>> _probes = new();

    /// <summary>Registers (or replaces) the probe of <paramref name="service"/>.</summary>
    public void SetProbe(string service, Func<CancellationToken, ValueTask<ServingStatus>> probe) => _probes[service] = probe;

    /// <summary>Registers a fixed status for <paramref name="service"/>.</summary>
    public void SetStatus(string service, ServingStatus status) => SetProbe(service, _ => ValueTask.FromResult(status));

    /// <summary>Answers one Check request.</summary>
    public async Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, GrpcCallContext context)
    {
        if (_probes.TryGetValue(request.Service, out var probe))
            return new HealthCheckResponse { Status = await probe(context.CancellationToken).ConfigureAwait(false) };
        if (request.Service.Length == 0)
            return new HealthCheckResponse { Status = ServingStatus.Serving };
        throw new GrpcStatusException(StatusCode.NotFound, $"unknown service '{request.Service}'");
    }

    /// <summary>Maps Check onto <paramref name="endpoints"/>.</summary>
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcUnary<HealthCheckRequest, HealthCheckResponse>(CheckPath, CheckAsync);
}
