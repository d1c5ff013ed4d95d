using VaxCert.Core.Dcc;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;

namespace VaxCert.Core.Chain;

/// <summary>Which attestation form the ministry puts in the QR.</summary>
public enum AttestationEmbedding
{
    /// <summary>Full signature for ES256 facility keys (64 bytes), digest form for RSA: measured at level Q, a full RSA-2048
    /// attestation takes a typical QR from 546 to 969 characters (version 18 to 25), the digest form to 598 (version 19).</summary>
    Auto,
    /// <summary>Always the full signature.</summary>
    Full,
    /// <summary>Always the digest form.</summary>
    Digest,
}

/// <summary>The outcome of <see cref="ChainIssuer.Issue"/>.</summary>
public sealed record ChainIssuanceResult
{
    /// <summary>The facility-level verdict; anything but Valid means nothing was signed by the ministry.</summary>
    public FacilityCheck Facility { get; init; }

    /// <summary>The ministry issuance outcome, when the facility level passed.</summary>
    public IssuanceResult? Issuance { get; init; }

    /// <summary>The full facility attestation to keep (ledger / attestation store), needed when the QR holds the digest form.</summary>
    public FacilityAttestation? FullAttestation { get; init; }

    /// <summary>Issued.</summary>
    public bool Succeeded => Issuance?.Succeeded == true;

    /// <summary>The issued certificate, when successful.</summary>
    public IssuedCertificate? Certificate => Issuance?.Certificate;

    /// <summary>Machine-readable refusal reason: the FacilityCheck name, or the IssuanceFailure name; "Issued" on success.</summary>
    public string Reason => Facility != FacilityCheck.Valid ? Facility.ToString()
        : Issuance is { Succeeded: false } i ? i.Failure.ToString() : "Issued";

    /// <summary>One line for logs and reports; holds no personal data.</summary>
    public string Message => Facility != FacilityCheck.Valid ? "facility co-signature refused: " + Facility
        : Issuance?.Message ?? "";
}

/// <summary>
/// The ministry side of the two-level chain: checks the facility's co-signature over the record (certificate chain, validity,
/// revocation, facility code, signature over the exact DCC bytes) and only then issues with <see cref="Hc1Issuer"/>, embedding
/// the attestation as claim -65538. Thread-safe when the signer is.
/// </summary>
public sealed class ChainIssuer(Hc1Issuer issuer, FacilityAttestationVerifier facility, AttestationEmbedding embedding = AttestationEmbedding.Auto,
    TimeProvider? time = null)
{
    private readonly Hc1Issuer _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
    private readonly FacilityAttestationVerifier _facility = facility ?? throw new ArgumentNullException(nameof(facility));
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Checks the co-signature of <paramref name="record"/>, then issues. Never throws on bad input.</summary>
    public ChainIssuanceResult Issue(VaccinationRecord record, FacilityAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(attestation);
        if (attestation.Form != AttestationForm.Full)
            return new ChainIssuanceResult { Facility = FacilityCheck.FullAttestationUnavailable };
        var dcc = DccMapper.EncodeDcc(record, _issuer.Settings);
        if (dcc is null) // names that cannot be transliterated: let the issuer's validation report it precisely
            return new ChainIssuanceResult { Issuance = _issuer.Issue(record) };
        var check = _facility.Verify(dcc, record.Nationality, attestation, record.CertificateId, _time.GetUtcNow());
        if (check != FacilityCheck.Valid)
            return new ChainIssuanceResult { Facility = check };
        var embedded = Embed(attestation);
        return new ChainIssuanceResult
        {
            Issuance = _issuer.Issue(record, embedded.EncodeClaim()),
            FullAttestation = attestation,
        };
    }

    private FacilityAttestation Embed(FacilityAttestation full) => embedding switch
    {
        AttestationEmbedding.Full => full,
        AttestationEmbedding.Digest => full.ToDigestForm(),
        _ => full.Algorithm == CoseAlgorithm.ES256 ? full : full.ToDigestForm(),
    };
}

/// <summary>An <see cref="IFullAttestationStore"/> in memory (loaded from the issue command's attestations file, or tests).</summary>
public sealed class InMemoryAttestationStore : IFullAttestationStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FacilityAttestation> _byUvci = new(StringComparer.Ordinal);

    /// <summary>Records the full attestation of <paramref name="uvci"/>.</summary>
    public void Add(string uvci, FacilityAttestation full) => _byUvci[uvci] = full;

    /// <inheritdoc />
    public FacilityAttestation? Find(string uvci) => _byUvci.GetValueOrDefault(uvci);
}
