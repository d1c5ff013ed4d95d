using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using VaxCert.Conformance.Vectors;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Verifier;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Trust;

namespace VaxCert.Conformance.Running;

/// <summary>
/// Builds the verifier one vector asks for from its TESTCTX: its DSC as the only trusted signer, VALIDATIONCLOCK as now
/// with no clock skew, and the VaxCert extensions (CSCA anchor, facility CA and certificate, revocation list, trust-list
/// age, policy). A TESTCTX that cannot be read gives a problem text, never an exception.
/// </summary>
public static class VectorVerifierFactory
{
    /// <summary>The verifier for <paramref name="vector"/>, or null with <paramref name="problem"/> saying why.</summary>
    public static Verifier.CertificateVerifier? Create(ConformanceVector vector, out string? problem)
    {
        problem = null;
        try
        {
            if (vector.ContextText(VectorKeys.ValidationClock) is not { } clockText || !TryParseInstant(clockText, out var clock))
            {
                problem = "TESTCTX.VALIDATIONCLOCK missing or not an ISO-8601 instant";
                return null;
            }
            var candidates = new List<TrustListCandidate>();
            if (vector.ContextText(VectorKeys.Certificate) is { Length: > 0 } dsc)
                candidates.Add(new TrustListCandidate(Convert.FromBase64String(dsc), null, vector.RelativePath));
            var issuedAt = vector.ContextText(VectorKeys.TrustListIssuedAt) is { } issued && TryParseInstant(issued, out var at) ? at : clock;
            var anchors = vector.ContextText(VectorKeys.Csca) is { } csca ? new[] { Load(csca) } : null;
            var trust = TrustList.Create(candidates, issuedAt, anchors);
            var options = new VerifierOptions
            {
                Time = new FixedClock(clock),
                ClockSkew = TimeSpan.Zero,
                MaxTrustListAge = vector.Context[VectorKeys.MaxTrustListAgeSeconds] is JsonValue age && age.TryGetValue(out long seconds)
                    ? TimeSpan.FromSeconds(seconds) : null,
                Revocation = ReadRevocation(vector.Context[VectorKeys.Revocation] as JsonObject),
                Policy = vector.ContextText(VectorKeys.Policy) == "VN" ? new PolicyCheck(IssuancePolicy.Default) : null,
                AdditionalChecks = FacilityChecks(vector),
            };
            return new Verifier.CertificateVerifier(trust, options);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException or ArgumentException)
        {
            problem = "TESTCTX unusable: " + e.Message;
            return null;
        }
    }

    /// <summary>ISO-8601 with or without zone (no zone means UTC, as the EU vectors need).</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

    private static X509Certificate2 Load(string base64) => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));

    private static IReadOnlyList<IAdditionalCheck> FacilityChecks(ConformanceVector vector)
    {
        if (vector.ContextText(VectorKeys.FacilityCa) is not { } ca) return [];
        var known = vector.ContextText(VectorKeys.FacilityCertificate) is { } cert ? new[] { Load(cert) } : [];
        return [new FacilityCoSignatureCheck(new FacilityAttestationVerifier(new FacilityTrust([Load(ca)], known)))]; // the verifier's own facility stage
    }

    private static RevocationList? ReadRevocation(JsonObject? revocation)
    {
        if (revocation is null) return null;
        var builder = new RevocationList.Builder();
        foreach (var (name, type) in RevocationTypes)
            foreach (var entry in revocation[name] as JsonArray ?? [])
                builder.Add(type, Convert.FromBase64String(entry!.GetValue<string>()));
        return builder.Build();
    }

    /// <summary>REVOCATION field names and their hash types.</summary>
    public static readonly IReadOnlyList<(string Name, RevocationHashType Type)> RevocationTypes =
    [
        ("UCI", RevocationHashType.Uci),
        ("COUNTRYCODEUCI", RevocationHashType.CountryCodeUci),
        ("SIGNATURE", RevocationHashType.Signature),
    ];
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
