namespace VaxCert.Core.Signing;

/// <summary>COSE algorithm identifiers VaxCert issues and verifies (RFC 9053 / RFC 8230 values).</summary>
public enum CoseAlgorithm
{
    /// <summary>ECDSA P-256 with SHA-256; signature is raw r‖s (64 bytes).</summary>
    ES256 = -7,
    /// <summary>RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.</summary>
    PS256 = -37,
}
