using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace VaxCert.Ledger.Sql;

// Mass revocation and the revocation-list stream (IRevocationLedger). Additive: the single-certificate write paths above
// are untouched; a chunk appends its audit entries through the same AppendAsync under the head's row lock.
public abstract partial class SqlCertificateLedger : IRevocationLedger
{
    private const int MaxActorLength = 128;

    /// <inheritdoc />
    public Task<BulkRevokeResult> RevokeAllAsync(RevocationScope scope, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        CertificateValidation.RequireRevocation(scope.Key, reason);
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
            throw new ArgumentException($"actor must be given (at most {MaxActorLength} characters)", nameof(actor));
        var (where, order, bind) = ScopeFilter(scope);
        return GuardAsync("revoke certificates in bulk", async () =>
        {
            long revoked = 0;
            var last = "";
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var tx = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                // Keyset pagination on an indexed order (facility: the (facility_code, facility_record_id) key; signer: the
                // uvci primary key), so the whole operation reads the scope once however many chunks it takes.
                var chunk = new List<(string Uvci, string Facility)>(IRevocationLedger.BulkRevokeChunk);
                await foreach (var row in ReadRowsAsync(connection, tx,
                                   $"SELECT uvci, facility_code, {order} FROM certificates WHERE status = 'issued' AND {where} AND {order} > @last "
                                   + $"ORDER BY {order} LIMIT {IRevocationLedger.BulkRevokeChunk}",
                                   c => { bind(c); c.With("@last", last); }, r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken)
                                   .ConfigureAwait(false))
                {
                    chunk.Add((row.Item1, row.Item2));
                    last = row.Item3;
                }
                var now = LedgerTime.Normalize(_clock.GetUtcNow());
                // Every row of the chunk first, then the audit entries: the same lock order as a single Revoke (certificate
                // row, then head), so a concurrent Revoke of one of these rows waits or goes first but never deadlocks.
                var revokedNow = new List<(string Uvci, string Facility)>(chunk.Count);
                foreach (var (uvci, facility) in chunk)
                {
                    await using var update = connection.Command(tx,
                            "UPDATE certificates SET status = 'revoked', revoked_at = @t, revocation_reason = @why WHERE uvci = @u AND status = 'issued'")
                        .With("@t", _dialect.TimeToDb(now)).With("@why", reason).With("@u", uvci);
                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                        revokedNow.Add((uvci, facility)); // else revoked meanwhile by a single Revoke: its entry stands
                }
                foreach (var (uvci, facility) in revokedNow)
                    await AppendAsync(connection, tx, AuditEvent.Revoked, uvci, facility, AuditDetailsFor.Revoked(reason, now),
                        certificatesAdded: 0, revokedAdded: 1, cancellationToken, signHead: false).ConfigureAwait(false);
                revoked += revokedNow.Count;
                if (chunk.Count == IRevocationLedger.BulkRevokeChunk)
                {
                    await SignCommitHeadAsync(connection, tx, cancellationToken).ConfigureAwait(false); // one head per chunk
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                // Last chunk: count what was revoked before (by anyone but this call) and record the operation itself.
                long inScopeRevoked;
                await using (var count = connection.Command(tx, $"SELECT COUNT(*) FROM certificates WHERE status = 'revoked' AND {where}"))
                {
                    bind(count);
                    inScopeRevoked = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }
                var already = inScopeRevoked - revoked;
                var details = AuditDetails.Of(("scope", scope.Kind), ("key", scope.Key), (AuditDetailsFor.ReasonField, reason), ("actor", actor),
                    ("revoked", revoked.ToString(CultureInfo.InvariantCulture)), ("already_revoked", already.ToString(CultureInfo.InvariantCulture)));
                var entry = await AppendAsync(connection, tx, AuditEvent.BulkRevoked, "", scope is RevocationScope.Facility f ? f.Code : "",
                    details, certificatesAdded: 0, revokedAdded: 0, cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new BulkRevokeResult(revoked, already, entry.Seq);
            }
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RevocationRecord> ListRevocationsAsync(long afterSeq, long upToSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Range scan on the audit primary key; each Revoked entry joins its certificate row by primary key. Entries at or
        // below a head read earlier are committed with their rows, so no snapshot is needed for a consistent list.
        const string sql = "SELECT a.seq, c.uvci, c.facility_code, c.signer_kid, c.expires_at, c.revoked_at, c.hc1 FROM audit_log a "
                           + "JOIN certificates c ON c.uvci = a.subject WHERE a.event = 'Revoked' AND a.seq > @after AND a.seq <= @upto "
                           + "ORDER BY a.seq";
        await using var connection = await GuardAsync("open the ledger", () => OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        var rows = ReadRowsAsync(connection, null, sql, c => c.With("@after", afterSeq).With("@upto", upToSeq),
            r => new RevocationRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3), _dialect.TimeFromDb(r, 4),
                _dialect.TimeFromDb(r, 5), r.GetString(6)), cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
            yield return row;
    }

    /// <inheritdoc />
    public async Task<long> GetAuditHeadSeqAsync(CancellationToken cancellationToken = default)
        => (await GetCountsAsync(cancellationToken).ConfigureAwait(false)).AuditEntries;

    private static (string Where, string Order, Action<DbCommand> Bind) ScopeFilter(RevocationScope scope) => scope switch
    {
        RevocationScope.Facility f => ("facility_code = @scope", "facility_record_id", c => c.With("@scope", f.Code)),
        RevocationScope.Signer s when s.Kid is { Length: > 0 } kid => ("signer_kid = @scope", "uvci", c => c.With("@scope", kid)),
        _ => throw new ArgumentException("the scope needs a facility code or a non-empty kid", nameof(scope)),
    };
}
