namespace VaxCert.Grpc.V1;

/// <summary>Full method paths of the vaxcert.v1.Issuer service (proto/vaxcert/v1/issuer.proto).</summary>
public static class IssuerMethods
{
    /// <summary>The service's full name.</summary>
    public const string Service = "vaxcert.v1.Issuer";
    /// <summary>Unary: IssueRequest to IssueResponse.</summary>
    public const string Issue = "/" + Service + "/Issue";
    /// <summary>Server streaming: IssueBatchRequest to a stream of IssueBatchResult.</summary>
    public const string IssueBatch = "/" + Service + "/IssueBatch";
    /// <summary>Unary: RevokeRequest to RevokeResponse.</summary>
    public const string Revoke = "/" + Service + "/Revoke";
    /// <summary>Unary: GetCertificateRequest to IssueResponse.</summary>
    public const string GetCertificate = "/" + Service + "/GetCertificate";
    /// <summary>Unary: GetTrustListRequest to TrustList.</summary>
    public const string GetTrustList = "/" + Service + "/GetTrustList";
}
