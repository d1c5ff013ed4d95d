using VaxCert.Grpc.Client;

namespace VaxCert.Grpc.V1;

/// <summary>A typed client for vaxcert.v1.Issuer over a shared <see cref="GrpcClient"/>. Failures throw <see cref="GrpcCallException"/>.</summary>
public sealed class IssuerClient(GrpcClient client)
{
    /// <summary>Calls Issue.</summary>
    public Task<IssueResponse> IssueAsync(IssueRequest request, DateTimeOffset? deadline = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, CancellationToken cancellationToken = default) =>
        client.UnaryAsync<IssueRequest, IssueResponse>(IssuerMethods.Issue, request, deadline, metadata, cancellationToken);

    /// <summary>Calls IssueBatch; results arrive as the server finishes them.</summary>
    public IAsyncEnumerable<IssueBatchResult> IssueBatchAsync(IssueBatchRequest request, DateTimeOffset? deadline = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, CancellationToken cancellationToken = default) =>
        client.ServerStreamingAsync<IssueBatchRequest, IssueBatchResult>(IssuerMethods.IssueBatch, request, deadline, metadata,
            cancellationToken);

    /// <summary>Calls Revoke.</summary>
    public Task<RevokeResponse> RevokeAsync(RevokeRequest request, DateTimeOffset? deadline = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, CancellationToken cancellationToken = default) =>
        client.UnaryAsync<RevokeRequest, RevokeResponse>(IssuerMethods.Revoke, request, deadline, metadata, cancellationToken);

    /// <summary>Calls GetCertificate.</summary>
    public Task<IssueResponse> GetCertificateAsync(GetCertificateRequest request, DateTimeOffset? deadline = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, CancellationToken cancellationToken = default) =>
        client.UnaryAsync<GetCertificateRequest, IssueResponse>(IssuerMethods.GetCertificate, request, deadline, metadata,
            cancellationToken);

    /// <summary>Calls GetTrustList.</summary>
    public Task<TrustList> GetTrustListAsync(GetTrustListRequest request, DateTimeOffset? deadline = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, CancellationToken cancellationToken = default) =>
        client.UnaryAsync<GetTrustListRequest, TrustList>(IssuerMethods.GetTrustList, request, deadline, metadata,
            cancellationToken);
}
