using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VaxCert.Core.Decoding;
using VaxCert.Core.Dcc;
using VaxCert.Core.Issuance;
using VaxCert.Core.Uvci;
using VaxCert.Ledger;

namespace VaxCert.Server.Issuance;

/// <summary>What happened to one selected certificate in a re-issue run.</summary>
public enum ReissueStatus
{
    /// <summary>A new certificate (new UVCI, new iat/exp, current signer) was recorded as its successor now.</summary>
    Reissued,

    /// <summary>It had been re-issued before (by an earlier or concurrent run): nothing was signed or written.</summary>
    AlreadyReissued,

    /// <summary>It was not re-issued; <see cref="ReissueItem.Reason"/> says why. The run goes on with the others.</summary>
    Failed,
}

/// <summary>The outcome for one selected certificate. Holds no personal data: UVCIs, a reason code and an operator message.</summary>
/// <param name="Uvci">The selected (old) certificate.</param>
/// <param name="Status">What happened.</param>
/// <param name="Successor">The new certificate (Reissued) or the existing one's UVCI only (AlreadyReissued); null when failed.</param>
/// <param name="NewUvci">The successor's UVCI (Reissued, AlreadyReissued).</param>
/// <param name="Reason">Stable reason code when failed (<see cref="CertificateReissuer"/>'s constants), else null.</param>
/// <param name="Message">Operator message when failed.</param>
public sealed record ReissueItem(string Uvci, ReissueStatus Status, ServedCertificate? Successor, string? NewUvci, string? Reason, string? Message)
{
    /// <summary>The successor's generation (old generation + 1), 0 when failed.</summary>
    public int Generation { get; init; }
}

/// <summary>Progress after one committed chunk (or the end of the run).</summary>
/// <param name="Done">Selected certificates handled so far, including those before the resume cursor.</param>
/// <param name="Total">Certificates the selection held when the run started.</param>
/// <param name="Reissued">Re-issued by this run so far.</param>
/// <param name="AlreadyReissued">Found re-issued before, by this run so far.</param>
/// <param name="Failed">Not re-issued (typed reason), by this run so far.</param>
/// <param name="RatePerSecond">Certificates handled per second by this run.</param>
/// <param name="Eta">Time left at that rate (null before the first chunk).</param>
/// <param name="Cursor">Resume point: pass it to a new run to continue after everything reported so far (null at the start).</param>
/// <param name="Items">The certificates of this chunk, durable before they are reported.</param>
/// <param name="Finished">True on the last report of a run that went through the whole selection.</param>
/// <param name="AuditSeq">On the last report: the sequence number of the run's BulkReissued entry.</param>
public sealed record ReissueReport(long Done, long Total, long Reissued, long AlreadyReissued, long Failed, double RatePerSecond,
    TimeSpan? Eta, string? Cursor, IReadOnlyList<ReissueItem> Items, bool Finished, long AuditSeq);

/// <summary>Why a re-issue request as a whole was refused before anything was done.</summary>
/// <param name="Reason">Stable reason code.</param>
/// <param name="Field">The request field at fault (proto name).</param>
/// <param name="Message">Operator message.</param>
public sealed record ReissueRefusal(string Reason, string Field, string Message);

/// <summary>Thrown when the signer cannot sign: the run stops (nothing of the current chunk was recorded) and can be resumed.</summary>
public sealed class ReissueSignerException(string reason, string message) : Exception(message)
{
    /// <summary>Stable reason code (SIGNER_...).</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Re-issues stored certificates (docs/ledger.md, "Re-issue"): for each selected certificate it decodes the stored HC1 (our
/// own bytes, still parsed defensively: a certificate that does not decode, or whose DCC does not name its own UVCI, fails
/// with a typed reason), re-validates the record with the current policy, derives a new UVCI from (facility, record id,
/// generation), signs a new certificate (new iat, exp = iat + validity) with the current document signer and records it
/// with generation + 1 and a link to the old one, through the ledger's group commit (one transaction per chunk). The old
/// certificate stays untouched and valid. Idempotent per (certificate, generation): the derived record key, the derived
/// UVCI and the ledger's unique link all make a repeated or concurrent run find the first one (AlreadyReissued). Runs in
/// UVCI order in chunks; the cursor of each report is durable, so a run that is cancelled or killed continues after it.
/// The re-issued QR carries no facility co-signature claim (the facility signed the record with its old UVCI, which the
/// new certificate does not bear); the ledger keeps the original attestation and the link.
/// </summary>
public sealed class CertificateReissuer
{
    /// <summary>Certificates per chunk: one ledger group commit (the commit queue's largest group).</summary>
    public const int DefaultChunk = 512;

    /// <summary>Separator of the re-issue's record key, a control character so it cannot occur in a facility's own record id.</summary>
    public const char GenerationSeparator = '\u001F';

    /// <summary>Per-certificate and request reason codes.</summary>
    public const string Revoked = "REVOKED", StoredCertificateUnreadable = "STORED_CERTIFICATE_UNREADABLE",
        StoredCertificateMismatch = "STORED_CERTIFICATE_MISMATCH", RecordInvalid = "RECORD_INVALID", UvciTaken = "UVCI_TAKEN",
        KeyConflict = "REISSUE_KEY_CONFLICT", NotFound = "NOT_FOUND", ExpiringBeforeTooLate = "EXPIRING_BEFORE_TOO_LATE",
        InvalidCursor = "INVALID_CURSOR", InvalidFacility = "INVALID_FACILITY_CODE", Unsupported = "REISSUE_UNSUPPORTED";

    private readonly ICertificateLedger _ledger;
    private readonly Hc1Issuer _issuer;
    private readonly UvciKey? _uvciKey;
    private readonly DeterministicUvci _unkeyed;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    /// <param name="ledger">The ledger; must implement <see cref="IReissueLedger"/>.</param>
    /// <param name="issuer">Signs the new certificates (the current document signer, settings and validation policy).</param>
    /// <param name="uvciKey">The issuer's UVCI key (as for issuance), or null for the unkeyed derivation.</param>
    /// <param name="time">Clock (the issuer's own clock sets iat).</param>
    /// <param name="log">Receives UVCIs, counts and reason codes only.</param>
    public CertificateReissuer(ICertificateLedger ledger, Hc1Issuer issuer, UvciKey? uvciKey, TimeProvider time, ILogger log)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _uvciKey = uvciKey;
        _unkeyed = new DeterministicUvci(issuer.Settings.Country);
        _time = time;
        _log = log;
    }

    /// <summary>
    /// Checks a request before anything runs. An expiry bound later than now + validity (or than the signer's own expiry)
    /// is refused: a certificate re-issued by the run itself would then be selected again.
    /// </summary>
    public ReissueRefusal? Check(ReissueSelection selection, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (cursor is not null && (cursor.Length is 0 or > 256 || cursor.Any(char.IsControl)))
            return new ReissueRefusal(InvalidCursor, "cursor", "cursor must be a cursor a previous run reported (a UVCI)");
        switch (selection)
        {
            case ReissueSelection.One one when string.IsNullOrWhiteSpace(one.Uvci) || one.Uvci.Length > 256:
                return new ReissueRefusal("REQUIRED", "uvci", "uvci is required (at most 256 characters)");
            case ReissueSelection.Expiring { FacilityCode: { } f } when !UvciFormat.IsSegment(f):
                return new ReissueRefusal(InvalidFacility, "facility_code", "facility_code must hold only A-Z and 0-9");
            case ReissueSelection.Expiring e:
                var latest = LatestExpiringBefore();
                if (e.Before > latest)
                    return new ReissueRefusal(ExpiringBeforeTooLate, "expiring_before",
                        $"expiring_before must be at most {latest:yyyy-MM-dd HH:mm:ss}Z (now + {_issuer.Settings.ValidityMonths} months, and within the "
                        + "signer certificate's validity): certificates re-issued by this run would otherwise be selected again");
                return null;
        }
        return null;
    }

    /// <summary>The latest expiry bound a wave may use now: a new certificate's exp is never before it.</summary>
    public DateTimeOffset LatestExpiringBefore()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var notAfter = new DateTimeOffset(_issuer.Signer.Certificate.NotAfter.ToUniversalTime());
        var byValidity = now.AddMonths(_issuer.Settings.ValidityMonths);
        return byValidity < notAfter ? byValidity : notAfter;
    }

    /// <summary>
    /// Runs the re-issue of <paramref name="selection"/> after <paramref name="cursor"/>, reporting after every committed
    /// chunk. Cancellation stops between chunks (what was reported is durable; resume with the last cursor).
    /// </summary>
    /// <param name="selection">One certificate or an expiry wave; check it first with <see cref="Check"/>.</param>
    /// <param name="cursor">Resume after this cursor (null: from the start; already re-issued ones are skipped anyway).</param>
    /// <param name="actor">Who runs it ("grpc:NAME", "cli:USER"), recorded in the BulkReissued entry.</param>
    /// <param name="chunk">Certificates per chunk (one group commit each).</param>
    /// <param name="cancellationToken">Stops the run between chunks.</param>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    /// <exception cref="ReissueSignerException">The signer cannot sign; resume once it is back.</exception>
    public async IAsyncEnumerable<ReissueReport> RunAsync(ReissueSelection selection, string? cursor, string actor, int chunk = DefaultChunk,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_ledger is not IReissueLedger ledger)
            throw new LedgerException("this ledger does not support re-issue");
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        var total = await ledger.CountReissueCandidatesAsync(selection, null, cancellationToken).ConfigureAwait(false);
        var done = cursor is null ? 0 : total - await ledger.CountReissueCandidatesAsync(selection, cursor, cancellationToken).ConfigureAwait(false);
        long reissued = 0, already = 0, failed = 0, handled = 0;
        var clock = Stopwatch.StartNew();
        yield return new ReissueReport(done, total, 0, 0, 0, 0, null, cursor, [], false, 0);

        // Two chunks in flight: the next one is read, decoded and signed on every core while this one commits.
        var next = PrepareNextAsync(ledger, selection, cursor, chunk, cancellationToken);
        try
        {
            while (true)
            {
                var current = await next.ConfigureAwait(false);
                next = null;
                if (current.Length == 0)
                    break;
                cancellationToken.ThrowIfCancellationRequested();
                if (current.Length == chunk)
                    next = PrepareNextAsync(ledger, selection, current[^1].Candidate.Entry.Uvci, chunk, cancellationToken);
                var items = await CommitAsync(current, cancellationToken).ConfigureAwait(false);
                foreach (var item in items)
                {
                    switch (item.Status)
                    {
                        case ReissueStatus.Reissued: reissued++; break;
                        case ReissueStatus.AlreadyReissued: already++; break;
                        default: failed++; break;
                    }
                }
                handled += items.Length;
                done += items.Length;
                cursor = current[^1].Candidate.Entry.Uvci;
                var rate = handled / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
                var eta = TimeSpan.FromSeconds(Math.Max(0, total - done) / Math.Max(rate, 1e-6));
                yield return new ReissueReport(done, total, reissued, already, failed, rate, eta, cursor, items, false, 0);
                if (next is null)
                    break;
            }
        }
        finally
        {
            next?.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        var key = selection switch
        {
            ReissueSelection.One one => one.Uvci,
            ReissueSelection.Expiring e => e.Before.ToString("O", CultureInfo.InvariantCulture) + (e.FacilityCode is { } f ? " " + f : ""),
            _ => "",
        };
        var details = new System.Text.Json.Nodes.JsonObject
        {
            ["selection"] = selection.Kind, ["key"] = key, ["actor"] = actor,
            ["reissued"] = reissued.ToString(CultureInfo.InvariantCulture), ["already_reissued"] = already.ToString(CultureInfo.InvariantCulture),
            ["failed"] = failed.ToString(CultureInfo.InvariantCulture),
        }.ToJsonString();
        var facility = selection is ReissueSelection.Expiring { FacilityCode: { } code } ? code : "";
        var entry = await _ledger.AppendAuditAsync(AuditEvent.BulkReissued, "", facility, details, CancellationToken.None).ConfigureAwait(false);
        _log.LogWarning("Re-issue of {Selection} {Key} by {Actor}: {Reissued} re-issued, {Already} already re-issued, {Failed} failed (audit seq {Seq})",
            selection.Kind, key, actor, reissued, already, failed, entry.Seq);
        var finalRate = handled / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        yield return new ReissueReport(done, total, reissued, already, failed, finalRate, TimeSpan.Zero, cursor, [], true, entry.Seq);
    }

    /// <summary>One certificate ready to record (or already decided without a write).</summary>
    private readonly record struct Prepared(ReissueCandidate Candidate, CertificateToRecord? ToRecord, ReissueItem? Decided);

    private Task<Prepared[]> PrepareNextAsync(IReissueLedger ledger, ReissueSelection selection, string? after, int chunk, CancellationToken ct)
        => Task.Run(async () =>
        {
            var page = await ledger.ListReissueCandidatesAsync(selection, after, chunk, ct).ConfigureAwait(false);
            var prepared = new Prepared[page.Count];
            Parallel.For(0, page.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                i => prepared[i] = Prepare(page[i]));
            if (prepared.FirstOrDefault(p => p.Decided?.Reason?.StartsWith("SIGNER_", StringComparison.Ordinal) == true) is { Decided: { } down })
                throw new ReissueSignerException(down.Reason!, down.Message!);
            return prepared;
        }, ct);

    /// <summary>Decodes, re-validates and signs one certificate (CPU only; never throws for stored content).</summary>
    private Prepared Prepare(ReissueCandidate candidate)
    {
        var old = candidate.Entry;
        if (candidate.SuccessorUvci is { } successor)
            return new(candidate, null, new ReissueItem(old.Uvci, ReissueStatus.AlreadyReissued, null, successor, null, null)
                { Generation = old.Certificate.Generation + 1 });
        if (old.Status == CertificateStatus.Revoked)
            return Fail(candidate, Revoked, "the certificate is revoked; a revoked certificate is not re-issued");
        var decoded = Hc1Decoder.Decode(old.Certificate.Hc1);
        if (!decoded.Success || decoded.Dcc is null)
            return Fail(candidate, StoredCertificateUnreadable, $"the stored certificate does not decode ({decoded.Failure})");
        var record = DccMapper.TryReadRecord(decoded.Dcc, decoded.Claims?.Nationality);
        if (record is null)
            return Fail(candidate, StoredCertificateUnreadable, "the stored certificate is not a one-dose vaccination DCC");
        if (!string.Equals(record.CertificateId, old.Uvci, StringComparison.Ordinal))
            return Fail(candidate, StoredCertificateMismatch, "the stored certificate names another UVCI than its ledger row");

        var generation = old.Certificate.Generation + 1;
        var facility = old.Certificate.FacilityCode;
        var root = old.Certificate.FacilityRecordId.Split(GenerationSeparator)[0];
        var recordId = root + GenerationSeparator + "g" + generation.ToString(CultureInfo.InvariantCulture);
        string newUvci;
        try
        {
            newUvci = _uvciKey is not null ? _uvciKey.Derive(_issuer.Settings.Country, facility, recordId) : _unkeyed.For(facility, recordId);
        }
        catch (ArgumentException)
        {
            return Fail(candidate, StoredCertificateMismatch, "the ledger row's facility code cannot form a UVCI");
        }

        var result = _issuer.Issue(record with { CertificateId = newUvci });
        if (!result.Succeeded)
        {
            return result.Failure switch
            {
                IssuanceFailure.InvalidRecord => Fail(candidate, RecordInvalid,
                    "the record no longer passes validation: " + string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Rule}"))),
                IssuanceFailure.SigningFailed => Fail(candidate, "SIGNER_" + ReasonCodes.FromName($"{result.SigningFailure}"),
                    "the signing key is not available; resume the run later"),
                _ => Fail(candidate, "SIGNER_" + ReasonCodes.FromName(result.Failure.ToString()), "the ministry signer cannot issue: " + result.Message),
            };
        }
        var c = result.Certificate!;
        return new(candidate, new CertificateToRecord(newUvci, facility, recordId, RecordHash.Of(c.DccCbor, record.Nationality),
            old.Certificate.FacilityAttestation, c.SignerKeyId, c.IssuedAt, c.ExpiresAt, c.Hc1, generation, old.Uvci), null);
    }

    private static Prepared Fail(ReissueCandidate candidate, string reason, string message) =>
        new(candidate, null, new ReissueItem(candidate.Entry.Uvci, ReissueStatus.Failed, null, null, reason, message));

    /// <summary>Records the chunk's new certificates in one group commit; every item is durable when this returns.</summary>
    private async Task<ReissueItem[]> CommitAsync(Prepared[] chunk, CancellationToken cancellationToken)
    {
        var toRecord = chunk.Where(p => p.ToRecord is not null).Select(p => p.ToRecord!).ToList();
        // The group is the ledger's: once taken, a cancellation does not undo it, so wait for it and stop before the next.
        var recorded = await _ledger.RecordIssuedManyAsync(toRecord, CancellationToken.None).ConfigureAwait(false);
        var items = new ReissueItem[chunk.Length];
        for (int i = 0, k = 0; i < chunk.Length; i++)
        {
            if (chunk[i].Decided is { } decided)
            {
                items[i] = decided;
                continue;
            }
            var mine = chunk[i].ToRecord!;
            var r = recorded[k++];
            var old = chunk[i].Candidate.Entry.Uvci;
            items[i] = r.Outcome switch
            {
                RecordOutcome.Recorded => new ReissueItem(old, ReissueStatus.Reissued, Serve(mine, false), mine.Uvci, null, null),
                RecordOutcome.AlreadyIssued => new ReissueItem(old, ReissueStatus.AlreadyReissued, Serve(r.Entry!.Certificate, true),
                    r.Entry.Uvci, null, null),
                RecordOutcome.Conflict => new ReissueItem(old, ReissueStatus.Failed, null, null, KeyConflict,
                    "the re-issue's record key is taken by different content"),
                _ => new ReissueItem(old, ReissueStatus.Failed, null, null, UvciTaken,
                    "the derived UVCI, or the link to this certificate, is already taken by another certificate"),
            } with { Generation = mine.Generation };
        }
        return items;
    }

    private static ServedCertificate Serve(CertificateToRecord c, bool already) => new(c.Uvci, c.Hc1, c.IssuedAt, c.ExpiresAt, c.SignerKid, already);
}
