using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;
using VaxCert.Ledger;

namespace VaxCert.Server.Issuance;

/// <summary>A signed revocation list as handed out.</summary>
/// <param name="Signed">COSE_Sign1 over the list (<see cref="SignedRevocationList"/>).</param>
/// <param name="Version">The list version (audit seq of the newest revocation included).</param>
/// <param name="SinceVersion">0 for a full list, else the version the delta applies on top of.</param>
/// <param name="Entries">Hashes in the list.</param>
/// <param name="Certificates">Revoked certificates included (expired ones are left out).</param>
/// <param name="IssuedAt">When the list was signed.</param>
public sealed record PublishedRevocationList(byte[] Signed, long Version, long SinceVersion, long Entries, long Certificates, DateTimeOffset IssuedAt);

/// <summary>Why a list could not be produced.</summary>
public enum RevocationListRefusal
{
    /// <summary>since_version is beyond the ledger's last audit entry (not a version this issuer published).</summary>
    SinceVersionAhead,
    /// <summary>The ledger in use cannot stream revocations (not one of the SQL ledgers).</summary>
    Unsupported,
}

/// <summary>
/// Publishes the issuer's revocation list from the ledger: streams revoked certificates (<see cref="IRevocationLedger"/>),
/// builds the partitioned list with <see cref="RevocationListBuilder"/> and signs it with the issuer's signer. A full list
/// is cached until a new revocation is recorded (checked with a range scan of the audit entries written since) or it is
/// an hour old; deltas are built on demand from the audit entries after <c>since_version</c>, which is cheap for a recent
/// version. Thread-safe.
/// </summary>
public sealed class RevocationListPublisher(ICertificateLedger ledger, ICoseSigner signer, RevocationListOptions options, TimeProvider time,
    ILogger log)
{
    /// <summary>A cached full list is rebuilt at least this often, so its issuedAt stays recent.</summary>
    public static readonly TimeSpan MaxCacheAge = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (PublishedRevocationList List, long Head)? _full;

    /// <summary>The full list (<paramref name="sinceVersion"/> 0) or the delta since a version; a refusal when that is impossible.</summary>
    /// <exception cref="LedgerException">The ledger is unreachable.</exception>
    /// <exception cref="SigningException">The signer cannot sign.</exception>
    public async Task<(PublishedRevocationList? List, RevocationListRefusal? Refusal)> GetAsync(long sinceVersion, CancellationToken cancellationToken = default)
    {
        if (ledger is not IRevocationLedger revocations)
            return (null, RevocationListRefusal.Unsupported);
        var head = await revocations.GetAuditHeadSeqAsync(cancellationToken).ConfigureAwait(false);
        if (sinceVersion < 0 || sinceVersion > head)
            return (null, RevocationListRefusal.SinceVersionAhead);
        if (sinceVersion > 0)
            return (await BuildAsync(revocations, sinceVersion, head, cancellationToken).ConfigureAwait(false), null);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_full is { } cached && time.GetUtcNow() - cached.List.IssuedAt < MaxCacheAge
                && (cached.Head == head || !await AnyRevocationAsync(revocations, cached.Head, head, cancellationToken).ConfigureAwait(false)))
            {
                _full = (cached.List, head);
                return (cached.List, null);
            }
            var built = await BuildAsync(revocations, 0, head, cancellationToken).ConfigureAwait(false);
            _full = (built, head);
            return (built, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PublishedRevocationList> BuildAsync(IRevocationLedger revocations, long since, long head, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var build = await RevocationListBuilder.BuildAsync(Inputs(revocations, since, head, cancellationToken), since, now, options, cancellationToken)
            .ConfigureAwait(false);
        if (build.Undecodable > 0)
            log.LogError("{Count} revoked certificates have a stored HC1 that does not decode; they are missing from the revocation list",
                build.Undecodable);
        var signed = await SignedRevocationList.SignAsync(build.Document, signer, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Revocation list v{Version} (since {Since}): {Certificates} certificates, {Entries} hashes, {Expired} expired left out, {Bytes} bytes",
            build.Document.Version, since, build.Certificates - build.Expired - build.Undecodable, build.Document.EntryCount, build.Expired, signed.Length);
        return new PublishedRevocationList(signed, build.Document.Version, since, build.Document.EntryCount,
            build.Certificates - build.Expired - build.Undecodable, build.Document.IssuedAt);
    }

    /// <summary>
    /// The revocations after <paramref name="since"/> up to <paramref name="head"/> as <see cref="RevocationListBuilder"/>
    /// inputs: one streamed ledger query (certificate, expiry and HC1 together). Shared with <c>vaxcert bundle build</c>, so
    /// a bundle and a published list are built from the same rows by the same builder.
    /// </summary>
    public static async IAsyncEnumerable<RevokedCertificateInput> Inputs(IRevocationLedger revocations, long since, long head,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var r in revocations.ListRevocationsAsync(since, head, cancellationToken).ConfigureAwait(false))
            yield return new RevokedCertificateInput(r.Seq, r.Hc1, r.ExpiresAt);
    }

    private static async Task<bool> AnyRevocationAsync(IRevocationLedger revocations, long after, long head, CancellationToken cancellationToken)
    {
        await foreach (var _ in revocations.ListRevocationsAsync(after, head, cancellationToken).ConfigureAwait(false))
            return true;
        return false;
    }
}
