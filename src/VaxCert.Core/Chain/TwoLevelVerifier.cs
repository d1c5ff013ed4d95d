using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Decoding;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Chain;

/// <summary>Which level of the chain failed.</summary>
public enum ChainLevel
{
    /// <summary>Both levels verified.</summary>
    None,
    /// <summary>The ministry's COSE signature (what EU verifiers check): decoding, unknown DSC, bad signature or expired.</summary>
    Ministry,
    /// <summary>The facility co-signature (claim -65538); see <see cref="ChainVerification.Facility"/>.</summary>
    Facility,
}

/// <summary>The verdict on both levels of one QR.</summary>
/// <param name="FailedLevel">The first level that failed, or None.</param>
/// <param name="MinistryProblem">Why the ministry level failed (null when it passed).</param>
/// <param name="Facility">The facility-level verdict (not checked, hence Missing, when the ministry level failed).</param>
public sealed record ChainVerification(ChainLevel FailedLevel, string? MinistryProblem, FacilityCheck Facility)
{
    /// <summary>Both levels verified.</summary>
    public bool IsValid => FailedLevel == ChainLevel.None;
}

/// <summary>
/// Verifies both levels of a VaxCert QR: the ministry's signature with the given document signer certificates, then the
/// facility co-signature. The full verifier SDK (VaxCert.Verifier) owns the ministry level in apps; this class is the
/// compact form for the issue command, tests and the verifier's facility extension. Never throws on untrusted input.
/// </summary>
public sealed class TwoLevelVerifier(IEnumerable<X509Certificate2> documentSigners, FacilityAttestationVerifier facility)
{
    private readonly Dictionary<string, X509Certificate2> _dscs =
        documentSigners.ToDictionary(c => Convert.ToBase64String(KeyIdentifier.For(c)), StringComparer.Ordinal);

    /// <summary>Verifies <paramref name="hc1"/> at <paramref name="now"/>; the facility level is checked at the CWT iat.</summary>
    public ChainVerification Verify(string hc1, DateTimeOffset now)
    {
        var decoded = Hc1Decoder.Decode(hc1);
        if (!decoded.Success) return Ministry("undecodable: " + decoded.Failure);
        var message = decoded.Message!;
        if (message.KeyId is null || !_dscs.TryGetValue(Convert.ToBase64String(message.KeyId), out var dsc))
            return Ministry("unknown document signer");
        if (!message.VerifySignature(dsc)) return Ministry("invalid signature");
        var claims = decoded.Claims!;
        if (claims.ExpiresAt is { } exp && exp <= now) return Ministry("expired");
        if (claims.IssuedAt is not { } iat) return Ministry("no issue time");
        var check = facility.Verify(claims, iat);
        return new ChainVerification(check == FacilityCheck.Valid ? ChainLevel.None : ChainLevel.Facility, null, check);
    }

    private static ChainVerification Ministry(string problem) => new(ChainLevel.Ministry, problem, FacilityCheck.Missing);
}
