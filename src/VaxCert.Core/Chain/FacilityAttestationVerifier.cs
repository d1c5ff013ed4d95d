using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;

namespace VaxCert.Core.Chain;

/// <summary>Finds the full attestation of a certificate whose QR carries only the digest form (by UVCI).</summary>
public interface IFullAttestationStore
{
    /// <summary>The full attestation recorded for <paramref name="uvci"/>, or null.</summary>
    FacilityAttestation? Find(string uvci);
}

/// <summary>
/// Checks a facility co-signature against <see cref="FacilityTrust"/>: the certificate (by kid), its chain, revocation and
/// validity, the facility code against the UVCI, and the signature over the exact DCC bytes and nationality. Used by the
/// ministry before issuing (<see cref="ChainIssuer"/>) and by verifiers on a decoded QR. Never throws on untrusted input.
/// </summary>
public sealed class FacilityAttestationVerifier(FacilityTrust trust, IFullAttestationStore? fullAttestations = null)
{
    /// <summary>The trust this verifier checks against.</summary>
    public FacilityTrust Trust { get; } = trust ?? throw new ArgumentNullException(nameof(trust));

    /// <summary>Checks the facility level of a decoded QR's claims at <paramref name="at"/> (normally the CWT iat or now).</summary>
    public FacilityCheck Verify(CwtClaims claims, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.FacilityAttestation is not { } raw) return FacilityCheck.Missing;
        if (!FacilityAttestation.TryDecodeClaim(raw, out var attestation)) return FacilityCheck.Malformed;
        if (!Hc1Decoder.TryReadDcc(claims.DccPayload, CborLimits.Default, out var dcc, out _)
            || dcc!["v"] is not System.Text.Json.Nodes.JsonArray { Count: 1 } v
            || v[0]?["ci"] is not System.Text.Json.Nodes.JsonValue ci || !ci.TryGetValue(out string? uvci))
            return FacilityCheck.Malformed;
        return Verify(claims.DccPayload.Span, claims.Nationality ?? "", attestation!, uvci, at);
    }

    /// <summary>Checks <paramref name="attestation"/> over these exact DCC bytes and nationality, for the record with this UVCI.</summary>
    public FacilityCheck Verify(ReadOnlySpan<byte> dccCbor, string nationality, FacilityAttestation attestation, string uvci,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var certificate = Trust.Find(attestation.KeyId);
        if (certificate is null) return FacilityCheck.UnknownFacilityCertificate;
        var facts = Trust.FactsOf(certificate);
        var check = FacilityTrust.Check(facts, at);
        if (check != FacilityCheck.Valid) return check;
        var code = facts.FacilityCode;
        if (code is null) return FacilityCheck.FacilityCodeMissing;
        if (FacilityOfUvci(uvci) != code) return FacilityCheck.FacilityCodeMismatch;

        var full = attestation;
        if (attestation.Form == AttestationForm.Digest)
        {
            full = fullAttestations?.Find(uvci);
            if (full is null || full.Form != AttestationForm.Full || !full.KeyId.AsSpan().SequenceEqual(attestation.KeyId)
                || full.Algorithm != attestation.Algorithm)
                return FacilityCheck.FullAttestationUnavailable;
            if (!CryptographicOperations.FixedTimeEquals(FacilityAttestation.DigestOf(full.Value), attestation.Value))
                return FacilityCheck.RecordChangedAfterSigning;
        }
        var tbs = FacilityAttestation.ToBeSigned(full.Algorithm, full.KeyId, dccCbor, nationality);
        return CheckSignature(facts.Key, full.Algorithm, tbs, full.Value);
    }

    /// <summary>The facility segment of a UVCI ("URN:UVCI:01:VN:HN001/…#C" → "HN001"), or null when unreadable.</summary>
    public static string? FacilityOfUvci(string? uvci)
    {
        var parsed = UvciFormat.Validate(uvci, UvciMode.Lenient);
        if (!parsed.IsValid || parsed.IssuerPart is null) return null;
        var slash = parsed.IssuerPart.IndexOf('/');
        return slash > 0 ? parsed.IssuerPart[..slash] : parsed.IssuerPart;
    }

    private static FacilityCheck CheckSignature(CoseVerificationKey? key, CoseAlgorithm algorithm, byte[] tbs, byte[] signature)
    {
        if (key is null || key.Algorithm != algorithm) return FacilityCheck.AlgorithmMismatch;
        return key.Verify((int)algorithm, tbs, signature) ? FacilityCheck.Valid : FacilityCheck.RecordChangedAfterSigning;
    }
}
