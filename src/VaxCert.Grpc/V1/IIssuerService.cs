using Microsoft.AspNetCore.Routing;
using VaxCert.Grpc.Server;

namespace VaxCert.Grpc.V1;

/// <summary>
/// The server side of vaxcert.v1.Issuer as plain async methods. Implement it over the core issuer and ledger and map it
/// with <see cref="IssuerEndpoints.MapIssuer"/>. Fail a call by throwing <see cref="GrpcStatusException"/> (with reason
/// and field for validation errors); any other exception becomes INTERNAL with a generic message.
/// </summary>
public interface IIssuerService
{
    /// <summary>Issues one record (idempotent on facility_code + facility_record_id).</summary>
    Task<IssueResponse> IssueAsync(IssueRequest request, GrpcCallContext context);

    /// <summary>Issues many records, writing one result per record; refusals go into results, not the status.</summary>
    Task IssueBatchAsync(IssueBatchRequest request, GrpcStreamWriter<IssueBatchResult> results, GrpcCallContext context);

    /// <summary>Revokes a certificate.</summary>
    Task<RevokeResponse> RevokeAsync(RevokeRequest request, GrpcCallContext context);

    /// <summary>Returns an issued certificate again.</summary>
    Task<IssueResponse> GetCertificateAsync(GetCertificateRequest request, GrpcCallContext context);

    /// <summary>Returns the current trust list.</summary>
    Task<TrustList> GetTrustListAsync(GetTrustListRequest request, GrpcCallContext context);
}

/// <summary>Maps an <see cref="IIssuerService"/> onto the vaxcert.v1.Issuer paths.</summary>
public static class IssuerEndpoints
{
    /// <summary>Maps all five methods of the Issuer service to <paramref name="service"/>.</summary>
    public static void MapIssuer(this IEndpointRouteBuilder endpoints, IIssuerService service)
    {
        endpoints.MapGrpcUnary<IssueRequest, IssueResponse>(IssuerMethods.Issue, service.IssueAsync);
        endpoints.MapGrpcServerStreaming<IssueBatchRequest, IssueBatchResult>(IssuerMethods.IssueBatch, service.IssueBatchAsync);
        endpoints.MapGrpcUnary<RevokeRequest, RevokeResponse>(IssuerMethods.Revoke, service.RevokeAsync);
        endpoints.MapGrpcUnary<GetCertificateRequest, IssueResponse>(IssuerMethods.GetCertificate, service.GetCertificateAsync);
        endpoints.MapGrpcUnary<GetTrustListRequest, TrustList>(IssuerMethods.GetTrustList, service.GetTrustListAsync);
    }
}
