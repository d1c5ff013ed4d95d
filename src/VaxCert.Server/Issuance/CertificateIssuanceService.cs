using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Identity;
using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Core.Uvci;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;
using VaxCert.Ledger;

namespace VaxCert.Server.Issuance;

/// <summary>
/// The ministry's issuance use cases over the durable ledger, free of any transport: issue a facility-co-signed record
/// exactly once (ledger lookup, then <see cref="ChainIssuer"/>, then <see cref="ICertificateLedger.RecordIssuedAsync"/>),
/// revoke, look up, and assemble the trust list. Thread-safe; several instances may share one PostgreSQL ledger.
/// Untrusted input never throws: it comes back as a <see cref="Refusal"/>. Infrastructure failures (ledger down) throw
/// <see cref="LedgerException"/>. Never logs names, dates of birth or identity numbers.
/// </summary>
public sealed class CertificateIssuanceService : IAsyncDisposable
{
    /// <summary>Longest facility record id accepted.</summary>
    public const int MaxRecordIdLength = 128;

    /// <summary>Longest revocation reason accepted (the ledger's limit).</summary>
    public const int MaxRevocationReasonLength = 200;

    private readonly ChainIssuer _chain;
    private readonly FacilityAttestationVerifier _facilityCheck;
    private readonly IssuerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly bool _ownsResources;
    private readonly UvciKey? _uvciKey;

    /// <param name="signer">The ministry document signer (software key or PKCS#11 token).</param>
    /// <param name="trust">Facility trust and the certificates to publish.</param>
    /// <param name="ledger">The issuance ledger.</param>
    /// <param name="logger">Structured log; receives ids, codes and reasons only.</param>
    /// <param name="time">Clock for issuance and facility checks.</param>
    /// <param name="settings">Issuer country, name, validity.</param>
    /// <param name="ownsResources">Dispose the signer and the ledger with this service.</param>
    /// <param name="policy">Which vaccines may be certified; the built-in policy (8 licensed vaccines) by default.</param>
    /// <param name="uvciKey">The issuer's secret UVCI key: when set, a record's certificate id must be the UVCI this key
    /// derives for (facility, record id) (<see cref="UvciKey.Derive"/>), so UVCIs cannot be predicted without the facility's
    /// derived key. Null accepts any well-formed UVCI of the facility (development and the committed test data).</param>
    public CertificateIssuanceService(ICoseSigner signer, TrustMaterial trust, ICertificateLedger ledger, ILogger? logger = null,
        TimeProvider? time = null, IssuerSettings? settings = null, bool ownsResources = true, IssuancePolicy? policy = null,
        UvciKey? uvciKey = null)
    {
        _uvciKey = uvciKey;
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
        Trust = trust ?? throw new ArgumentNullException(nameof(trust));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _settings = settings ?? IssuerSettings.Default;
        _time = time ?? TimeProvider.System;
        _log = logger ?? NullLogger.Instance;
        _ownsResources = ownsResources;
        _facilityCheck = new FacilityAttestationVerifier(trust.FacilityTrust);
        var issuer = Hc1Issuer.Create(signer, _settings, _time, policy);
        _chain = new ChainIssuer(issuer, _facilityCheck, AttestationEmbedding.Auto, _time);
        Reissuer = new CertificateReissuer(ledger, issuer, uvciKey, _time, _log);
        RevocationLists = new RevocationListPublisher(ledger, signer, new RevocationListOptions { Issuer = _settings.Country }, _time, _log);
    }

    /// <summary>Re-issue of stored certificates with the same signer, settings, policy and UVCI key as issuance.</summary>
    public CertificateReissuer Reissuer { get; }

    /// <summary>The signed revocation lists (EU hash formats, partitioned by kid) of this issuer, built from the ledger.</summary>
    public RevocationListPublisher RevocationLists { get; }

    /// <summary>
    /// The development setup: the ES256 DSC and facility trust from <paramref name="keysDir"/> (keys-dev layout) and the
    /// ledger <paramref name="ledger"/> (created if missing). NOT for production keys.
    /// </summary>
    public static async Task<CertificateIssuanceService> CreateDevelopmentAsync(string keysDir, LedgerSpec ledger,
        ILogger? logger = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var signer = SoftwareCoseSigner.FromPemFiles(Path.Combine(keysDir, DevPkiLayout.DscEs256Certificate),
            Path.Combine(keysDir, DevPkiLayout.DscEs256Key));
        try
        {
            var trust = TrustMaterial.LoadFacilityDirectory(keysDir, [signer.Certificate]);
            if (ledger.Engine == LedgerEngine.Sqlite && ledger.Target != LedgerSpec.InMemory
                && Path.GetDirectoryName(Path.GetFullPath(ledger.Target)) is { } folder)
                Directory.CreateDirectory(folder);
            var opened = await ledger.OpenAsync(time, cancellationToken).ConfigureAwait(false);
            return new CertificateIssuanceService(signer, trust, opened, logger, time);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    /// <summary>The ministry signer.</summary>
    public ICoseSigner Signer { get; }

    /// <summary>The trusted and published certificates.</summary>
    public TrustMaterial Trust { get; }

    /// <summary>The ledger.</summary>
    public ICertificateLedger Ledger { get; }

    /// <summary>Issuer settings in use.</summary>
    public IssuerSettings Settings => _settings;

    /// <summary>
    /// Issues <paramref name="submission"/> exactly once per (facility, record id): a replay whose co-signature verifies
    /// returns the stored certificate (AlreadyIssued, with <see cref="ServedCertificate.Revoked"/> set if it was revoked),
    /// a replay with a co-signature that does not verify is refused like a first submission, different content under a
    /// used id is refused (Conflict), and when two instances race, the one recorded first wins and the other's signature
    /// is discarded before anything is handed out. A record id that looks like a CCCD, CMND or passport number is refused
    /// before anything is logged or stored.
    /// </summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the certificate was recorded.</exception>
    public async Task<IssueOutcome> IssueAsync(CoSignedRecord submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (CheckKey(submission) is { } invalid)
            return invalid;
        var existing = await Ledger.FindByFacilityRecordAsync(submission.FacilityCode, submission.FacilityRecordId, cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
            return await ReplayAsync(submission, existing, cancellationToken).ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested(); // nothing signed yet: a cancelled call spends no signature
        var result = _chain.Issue(submission.Record, submission.Attestation);
        if (!result.Succeeded)
            return await RefuseAsync(submission, result, cancellationToken).ConfigureAwait(false);

        var toRecord = ToRecord(submission, result);
        var recorded = await Ledger.RecordIssuedAsync(toRecord, cancellationToken).ConfigureAwait(false);
        return Recorded(submission, toRecord, recorded);
    }

    /// <summary>
    /// Issues many submissions with exactly the per-record semantics of <see cref="IssueAsync"/> (outcomes in input order),
    /// at batch cost: one ledger lookup for all keys, the co-signature checks and signatures spread over every core, and
    /// one <see cref="ICertificateLedger.RecordIssuedManyAsync"/> call, which the ledger commits as one group (one
    /// durable flush) together with whatever concurrent calls are waiting. Nothing is returned before it is durable.
    /// </summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the certificates were recorded.</exception>
    public Task<IReadOnlyList<IssueOutcome>> IssueManyAsync(IReadOnlyList<CoSignedRecord> submissions,
        CancellationToken cancellationToken = default)
        => IssueManyAsync(submissions, Environment.ProcessorCount, cancellationToken);

    /// <summary>
    /// <see cref="IssueManyAsync(IReadOnlyList{CoSignedRecord}, CancellationToken)"/> with the checks and signatures on at
    /// most <paramref name="maxParallelism"/> threads: 1 for a caller that keeps several batches in flight and so
    /// already has every core busy (IssueBatch), where splitting each batch over the cores again only adds contention.
    /// </summary>
    public async Task<IReadOnlyList<IssueOutcome>> IssueManyAsync(IReadOnlyList<CoSignedRecord> submissions, int maxParallelism,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        ArgumentNullException.ThrowIfNull(submissions);
        var outcomes = new IssueOutcome?[submissions.Count];
        var keyed = new List<int>(submissions.Count);
        for (var i = 0; i < submissions.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(submissions[i]);
            if (CheckKey(submissions[i]) is { } invalid)
                outcomes[i] = invalid;
            else
                keyed.Add(i);
        }
        var existing = await Ledger.FindByFacilityRecordsAsync(
            keyed.Select(i => (submissions[i].FacilityCode, submissions[i].FacilityRecordId)).ToList(), cancellationToken).ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested(); // nothing signed yet: a cancelled call spends no signature
        // The CPU-bound part (co-signature verification, encoding, signing, compression) on every core.
        var replays = new (IssueOutcome? Outcome, FacilityCheck Refused)[keyed.Count];
        var issued = new ChainIssuanceResult?[keyed.Count];
        await Task.Run(() => Parallel.For(0, keyed.Count,
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken }, j =>
            {
                var submission = submissions[keyed[j]];
                if (existing[j] is { } stored)
                    replays[j] = CheckReplay(submission, stored);
                else
                    issued[j] = _chain.Issue(submission.Record, submission.Attestation);
            }), cancellationToken).ConfigureAwait(false);

        var toRecord = new List<(int Index, CertificateToRecord Certificate)>(keyed.Count);
        for (var j = 0; j < keyed.Count; j++)
        {
            var i = keyed[j];
            if (existing[j] is not null)
                outcomes[i] = replays[j].Outcome ?? await RefuseAttestationAsync(submissions[i], replays[j].Refused, cancellationToken).ConfigureAwait(false);
            else if (!issued[j]!.Succeeded)
                outcomes[i] = await RefuseAsync(submissions[i], issued[j]!, cancellationToken).ConfigureAwait(false);
            else
                toRecord.Add((i, ToRecord(submissions[i], issued[j]!)));
        }
        var recorded = await Ledger.RecordIssuedManyAsync(toRecord.Select(r => r.Certificate).ToList(), cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < toRecord.Count; k++)
            outcomes[toRecord[k].Index] = Recorded(submissions[toRecord[k].Index], toRecord[k].Certificate, recorded[k]);
        return outcomes!;
    }

    private static CertificateToRecord ToRecord(CoSignedRecord submission, ChainIssuanceResult result)
    {
        var certificate = result.Certificate!;
        return new CertificateToRecord(certificate.Uvci, submission.FacilityCode, submission.FacilityRecordId,
            RecordHash.Of(certificate.DccCbor, submission.Record.Nationality), result.FullAttestation!.EncodeClaim(),
            certificate.SignerKeyId, certificate.IssuedAt, certificate.ExpiresAt, certificate.Hc1);
    }

    /// <summary>What the ledger's answer means for the caller of a freshly signed certificate.</summary>
    private IssueOutcome Recorded(CoSignedRecord submission, CertificateToRecord toRecord, RecordResult recorded)
    {
        switch (recorded.Outcome)
        {
            case RecordOutcome.Recorded:
                // Debug, not Information: at thousands of certificates a second a console line each costs real CPU, and the
                // ledger's audit log already records every issuance. IssueBatch logs one summary line per call instead.
                _log.LogDebug("Issued {Uvci} for facility {Facility} record {RecordId}", toRecord.Uvci, submission.FacilityCode,
                    submission.FacilityRecordId);
                return IssueOutcome.Of(Serve(toRecord, alreadyIssued: false));
            case RecordOutcome.AlreadyIssued:
                // Another call recorded this record first: hand out ITS certificate; ours was never shown to anyone.
                _log.LogInformation("Record {RecordId} of facility {Facility} was recorded concurrently; returning the stored {Uvci}",
                    submission.FacilityRecordId, submission.FacilityCode, recorded.Entry!.Uvci);
                return IssueOutcome.Of(Serve(recorded.Entry!));
            case RecordOutcome.Conflict:
                return ConflictOutcome(submission);
            default:
                _log.LogWarning("UVCI {Uvci} of facility {Facility} record {RecordId} already belongs to another record", toRecord.Uvci,
                    submission.FacilityCode, submission.FacilityRecordId);
                return IssueOutcome.Refused(RefusalKind.Conflict, ReasonCodes.UvciTaken, nameof(VaccinationRecord.CertificateId),
                    "the certificate id (UVCI) is already used by another record");
        }
    }

    /// <summary>Revokes the certificate <paramref name="uvci"/>; idempotent.</summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    public async Task<RevocationOutcome> RevokeAsync(string uvci, string reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(uvci) || uvci.Length > 256)
            return new RevocationOutcome(RevocationStatus.Invalid, null, "Uvci", "uvci is required (at most 256 characters)");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxRevocationReasonLength || reason.Any(char.IsControl))
            return new RevocationOutcome(RevocationStatus.Invalid, null, "Reason",
                $"reason is required, at most {MaxRevocationReasonLength} characters, without control characters");
        var result = await Ledger.RevokeAsync(uvci, reason, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == RevokeOutcome.Revoked)
            _log.LogInformation("Revoked {Uvci}", uvci);
        return result.Outcome switch
        {
            RevokeOutcome.Revoked => new RevocationOutcome(RevocationStatus.Revoked, result.Entry!.RevokedAt),
            RevokeOutcome.AlreadyRevoked => new RevocationOutcome(RevocationStatus.AlreadyRevoked, result.Entry!.RevokedAt),
            _ => new RevocationOutcome(RevocationStatus.NotFound, null),
        };
    }

    /// <summary>
    /// Revokes every certificate of one facility or one document signer kid in one operation (idempotent: already revoked
    /// ones are counted, not touched); the ledger writes a Revoked entry per certificate and one BulkRevoked entry with the
    /// counts and <paramref name="actor"/>. Invalid input comes back as <see cref="MassRevocationOutcome.Field"/> and message.
    /// </summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    public async Task<MassRevocationOutcome> RevokeAllAsync(RevocationScope scope, string reason, string actor, CancellationToken cancellationToken = default)
    {
        if (MassRevocationOutcome.Check(scope, reason) is { } invalid)
            return invalid;
        if (Ledger is not IRevocationLedger bulk)
            throw new LedgerException("this ledger does not support mass revocation");
        var result = await bulk.RevokeAllAsync(scope, reason, actor, cancellationToken).ConfigureAwait(false);
        _log.LogWarning("Mass revocation of {Scope} {Key} by {Actor}: {Revoked} revoked, {Already} already revoked (audit seq {Seq})",
            scope.Kind, scope.Key, actor, result.Revoked, result.AlreadyRevoked, result.AuditSeq);
        return new MassRevocationOutcome(result, null, null, null);
    }

    /// <summary>The stored certificate <paramref name="uvci"/>, or null; a revoked one has <see cref="ServedCertificate.Revoked"/> set.</summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    public async Task<ServedCertificate?> GetAsync(string uvci, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(uvci) || uvci.Length > 256)
            return null;
        var entry = await Ledger.FindByUvciAsync(uvci, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : Serve(entry);
    }

    /// <summary>
    /// The trust list: document signers, facility CAs and facility certificates, and the hashes of revoked UVCIs (only
    /// those revoked at or after <paramref name="revocationsSince"/> when given).
    /// </summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    public async Task<TrustListSnapshot> GetTrustListAsync(DateTimeOffset? revocationsSince = null, CancellationToken cancellationToken = default)
    {
        var certificates = Trust.DocumentSigners.Select(c => Entry(TrustedKeyType.Dsc, c))
            .Concat(Trust.FacilityCas.Select(c => Entry(TrustedKeyType.FacilityCa, c)))
            .Concat(Trust.FacilityCertificates.Select(c => Entry(TrustedKeyType.Facility, c)))
            .ToList();
        var revoked = new List<byte[]>();
        await foreach (var r in Ledger.ListRevokedAsync(revocationsSince, cancellationToken).ConfigureAwait(false))
            revoked.Add(SHA256.HashData(Encoding.UTF8.GetBytes(r.Uvci)));
        return new TrustListSnapshot(certificates, revoked, _time.GetUtcNow());
    }

    /// <summary>Disposes the signer and the ledger when this service owns them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ownsResources)
            return;
        await Ledger.DisposeAsync().ConfigureAwait(false);
        Signer.Dispose();
    }

    private IssueOutcome? CheckKey(CoSignedRecord s)
    {
        if (string.IsNullOrEmpty(s.FacilityCode))
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.Required, "FacilityCode", "facility_code is required");
        if (!UvciFormat.IsSegment(s.FacilityCode))
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.Format, "FacilityCode",
                "facility_code must hold only A-Z and 0-9");
        if (string.IsNullOrEmpty(s.FacilityRecordId))
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.Required, "FacilityRecordId", "facility_record_id is required");
        if (s.FacilityRecordId.Length > MaxRecordIdLength || s.FacilityRecordId.Any(char.IsControl))
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.Format, "FacilityRecordId",
                $"facility_record_id must be at most {MaxRecordIdLength} characters without control characters");
        // Checked before anything is logged or recorded: the id would otherwise live in the append-only audit log forever.
        if (PersonalIdentifierLikeness.Classify(s.FacilityRecordId) is { } kind)
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.RecordIdLooksLikePersonalId, "FacilityRecordId",
                $"facility_record_id looks like a personal identifier ({kind}); use the facility's own record number, never a citizen's id");
        if (FacilityAttestationVerifier.FacilityOfUvci(s.Record.CertificateId) is { } ofUvci && ofUvci != s.FacilityCode)
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.FacilityCodeMismatch, "CertificateId",
                "the certificate id (UVCI) names another facility than facility_code");
        if (_uvciKey is not null && UvciFormat.IsSegment(s.FacilityCode)
            && !string.Equals(s.Record.CertificateId, _uvciKey.Derive(_settings.Country, s.FacilityCode, s.FacilityRecordId), StringComparison.Ordinal))
            return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.UvciNotDerived, "CertificateId",
                "the certificate id (UVCI) is not the one derived for this facility record with the facility's UVCI key");
        return null;
    }

    /// <summary>
    /// A resubmission of a recorded (facility, record id): its co-signature must verify like a first submission's, or
    /// anyone holding a record's content could fetch the stored certificate with junk in place of the facility's signature.
    /// </summary>
    private async Task<IssueOutcome> ReplayAsync(CoSignedRecord submission, LedgerEntry existing, CancellationToken cancellationToken)
    {
        var (outcome, refused) = CheckReplay(submission, existing);
        return outcome ?? await RefuseAttestationAsync(submission, refused, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replay decision without I/O: an outcome, or (null, the co-signature check to refuse and audit).</summary>
    private (IssueOutcome? Outcome, FacilityCheck Refused) CheckReplay(CoSignedRecord submission, LedgerEntry existing)
    {
        var dcc = DccMapper.EncodeDcc(submission.Record, _settings);
        if (dcc is null) // names that cannot be transliterated were never issued: different content
            return (ConflictOutcome(submission), default);
        var check = submission.Attestation.Form != AttestationForm.Full ? FacilityCheck.FullAttestationUnavailable
            : _facilityCheck.Verify(dcc, submission.Record.Nationality, submission.Attestation, submission.Record.CertificateId, _time.GetUtcNow());
        if (check != FacilityCheck.Valid)
            return (null, check);
        if (!CryptographicOperations.FixedTimeEquals(RecordHash.Of(dcc, submission.Record.Nationality), existing.Certificate.RecordHash))
            return (ConflictOutcome(submission), default);
        return (IssueOutcome.Of(Serve(existing)), default);
    }

    private IssueOutcome ConflictOutcome(CoSignedRecord submission)
    {
        _log.LogWarning("Facility {Facility} reused record id {RecordId} for different content", submission.FacilityCode,
            submission.FacilityRecordId);
        return IssueOutcome.Refused(RefusalKind.Conflict, ReasonCodes.FacilityRecordIdReused, "FacilityRecordId",
            "facility_record_id was already issued with different content");
    }

    private async Task<IssueOutcome> RefuseAsync(CoSignedRecord submission, ChainIssuanceResult result, CancellationToken cancellationToken)
    {
        if (result.Facility != FacilityCheck.Valid)
            return await RefuseAttestationAsync(submission, result.Facility, cancellationToken).ConfigureAwait(false);
        var issuance = result.Issuance!;
        switch (issuance.Failure)
        {
            case IssuanceFailure.InvalidRecord:
                var first = issuance.Errors[0];
                return IssueOutcome.Refused(RefusalKind.InvalidRequest, ReasonCodes.FromName(first.Rule.ToString()), first.Field,
                    string.Join("; ", issuance.Errors.Select(e => $"{ReasonCodes.ToSnake(e.Field)}: {e.Rule}: {e.Message}")));
            case IssuanceFailure.SigningFailed:
                _log.LogError("Signing failed ({Failure}) for facility {Facility} record {RecordId}", issuance.SigningFailure,
                    submission.FacilityCode, submission.FacilityRecordId);
                return IssueOutcome.Refused(RefusalKind.SignerUnavailable, "SIGNER_" + ReasonCodes.FromName($"{issuance.SigningFailure}"), null,
                    "the signing key is not available; retry later");
            default:
                _log.LogError("Cannot issue: {Failure}", issuance.Failure);
                return IssueOutcome.Refused(RefusalKind.SignerNotUsable, ReasonCodes.FromName(issuance.Failure.ToString()), null,
                    "the ministry signer cannot issue at the moment");
        }
    }

    private async Task<IssueOutcome> RefuseAttestationAsync(CoSignedRecord submission, FacilityCheck check, CancellationToken cancellationToken)
    {
        var reason = ReasonCodes.FromName(check.ToString());
        _log.LogWarning("Refused facility {Facility} record {RecordId}: co-signature {Reason}", submission.FacilityCode,
            submission.FacilityRecordId, reason);
        // A co-signature that does not check out is a security event: it goes into the tamper-evident log.
        var details = new JsonObject { ["reason"] = reason, ["record_id"] = submission.FacilityRecordId }.ToJsonString();
        await Ledger.AppendAuditAsync(AuditEvent.Refused, "", submission.FacilityCode, details, cancellationToken).ConfigureAwait(false);
        return IssueOutcome.Refused(RefusalKind.AttestationRejected, reason, "Attestation", "facility co-signature refused: " + reason);
    }

    private static ServedCertificate Serve(CertificateToRecord c, bool alreadyIssued) =>
        new(c.Uvci, c.Hc1, c.IssuedAt, c.ExpiresAt, c.SignerKid, alreadyIssued);

    /// <summary>A stored certificate as handed out again, carrying its revocation.</summary>
    private static ServedCertificate Serve(LedgerEntry stored) => Serve(stored.Certificate, alreadyIssued: true) with
    {
        Revoked = stored.Status == CertificateStatus.Revoked,
        RevokedAt = stored.RevokedAt,
    };

    private static TrustedCertificateEntry Entry(TrustedKeyType type, System.Security.Cryptography.X509Certificates.X509Certificate2 c) =>
        new(type, c, KeyIdentifier.For(c));
}
