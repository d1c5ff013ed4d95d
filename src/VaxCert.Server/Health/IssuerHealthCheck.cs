using Microsoft.Extensions.Diagnostics.HealthChecks;
using VaxCert.Server.Issuance;

namespace VaxCert.Server.Health;

/// <summary>
/// The health of the issuer for grpc.health.v1 (Grpc.AspNetCore.HealthChecks): healthy only when a probe signature
/// verifies with the signer certificate (cached by <see cref="SignerProbe"/>) and the ledger answers its health probe.
/// The description is for the server log only; the health protocol sends just SERVING / NOT_SERVING.
/// </summary>
public sealed class IssuerHealthCheck(CertificateIssuanceService service, SignerProbe probe) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var signer = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        if (!signer.CanSign)
            return HealthCheckResult.Unhealthy("signer: " + signer.Detail);
        var ledger = await service.Ledger.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return ledger.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("ledger: " + ledger.Detail);
    }
}
