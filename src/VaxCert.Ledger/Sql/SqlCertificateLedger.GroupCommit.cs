using System.Data.Common;
using System.Text;

namespace VaxCert.Ledger.Sql;

/// <summary>The write path of issued certificates: group commit through <see cref="CommitQueue"/> (docs/ledger.md).</summary>
public abstract partial class SqlCertificateLedger
{
    /// <summary>Rows per multi-row INSERT statement (11 parameters a row keeps statements well under every engine's limit).</summary>
    private const int RowsPerStatement = 100;

    /// <summary>Attempts of a group that hit a deadlock or serialization failure (PostgreSQL, several instances).</summary>
    private const int GroupAttempts = 5;

    private readonly CommitQueue _commits;

    /// <summary>
    /// Records several certificates; they share the commit queue with concurrent <see cref="RecordIssuedAsync"/> calls and
    /// are written in as few transactions as the queue forms (usually one). Results come back in input order, each exactly
    /// as <see cref="RecordIssuedAsync"/> would have answered it (a duplicate key later in the list gets the earlier one's
    /// entry as AlreadyIssued or Conflict).
    /// </summary>
    public Task<IReadOnlyList<RecordResult>> RecordIssuedManyAsync(IReadOnlyList<CertificateToRecord> certificates,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var normalized = new CertificateToRecord[certificates.Count];
        for (var i = 0; i < normalized.Length; i++)
            normalized[i] = CertificateValidation.Normalize(certificates[i]);
        return normalized.Length == 0 ? Task.FromResult<IReadOnlyList<RecordResult>>([]) : _commits.SubmitMany(normalized, cancellationToken);
    }

    /// <summary>The entries with these idempotency keys (null where there is none), in input order; one query per facility and 200 keys.</summary>
    public Task<IReadOnlyList<LedgerEntry?>> FindByFacilityRecordsAsync(IReadOnlyList<(string FacilityCode, string FacilityRecordId)> keys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (f, r) in keys)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentNullException.ThrowIfNull(r);
        }
        return GuardAsync("look up certificates", async () =>
        {
            var found = new Dictionary<(string, string), LedgerEntry>();
            if (keys.Count > 0)
            {
                await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                foreach (var byFacility in keys.Select(k => k).Distinct().GroupBy(k => k.FacilityCode, StringComparer.Ordinal))
                foreach (var chunk in byFacility.Chunk(200))
                {
                    var sql = new StringBuilder($"SELECT {EntryColumns} FROM certificates WHERE facility_code = @f AND facility_record_id IN (");
                    for (var i = 0; i < chunk.Length; i++)
                        sql.Append(i == 0 ? "" : ", ").Append("@r").Append(i);
                    sql.Append(')');
                    var rows = ReadRowsAsync(connection, null, sql.ToString(), c =>
                    {
                        c.With("@f", byFacility.Key);
                        for (var i = 0; i < chunk.Length; i++)
                            c.With("@r" + i, chunk[i].FacilityRecordId);
                    }, ReadEntry, cancellationToken);
                    await foreach (var entry in rows.ConfigureAwait(false))
                        found[(entry.Certificate.FacilityCode, entry.Certificate.FacilityRecordId)] = entry;
                }
            }
            return (IReadOnlyList<LedgerEntry?>)keys.Select(k => found.GetValueOrDefault(k)).ToArray();
        });
    }

    /// <summary>Writes one group and completes every caller's task (never throws: failures go to the callers).</summary>
    private async Task WriteGroupAsync(IReadOnlyList<PendingRecord> group)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await WriteGroupOnceAsync(group).ConfigureAwait(false);
                for (var i = 0; i < group.Count; i++)
                    group[i].Done.TrySetResult(results[i]);
                return;
            }
            catch (DbException ex) when (attempt < GroupAttempts && _dialect.IsTransientConflict(ex))
            {
                // Rolled back as a whole (a deadlock with another instance's group): nothing of it was written, so retry.
                await Task.Delay(attempt * 10).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                var failure = new LedgerException($"ledger database error while trying to record issued certificates: {ex.Message}", ex);
                foreach (var p in group)
                    p.Done.TrySetException(failure);
                return;
            }
        }
    }

    /// <summary>
    /// One transaction for the whole group: a multi-row <c>INSERT ... ON CONFLICT DO NOTHING RETURNING</c> of the
    /// certificates (keys sorted, so groups of several instances lock rows in one order), per-record outcomes decided
    /// exactly as for a single record, the audit entries chained in queue order and inserted in one multi-row statement,
    /// one head update and one commit (one WAL flush).
    /// </summary>
    private async Task<RecordResult[]> WriteGroupOnceAsync(IReadOnlyList<PendingRecord> group)
    {
        var ct = CancellationToken.None; // the group is shared: one caller's cancellation must not undo the others' records
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await _dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);

        // The first record of each key (and of each uvci) in queue order is the one offered for insertion; later ones
        // resolve against it exactly as if they had come in a later transaction.
        var firstOfKey = new Dictionary<(string, string), int>(group.Count);
        var uvcis = new HashSet<string>(group.Count, StringComparer.Ordinal);
        var offered = new List<CertificateToRecord>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var c = group[i].Certificate;
            if (!firstOfKey.ContainsKey((c.FacilityCode, c.FacilityRecordId)) && uvcis.Add(c.Uvci))
            {
                firstOfKey.Add((c.FacilityCode, c.FacilityRecordId), i);
                offered.Add(c);
            }
        }
        offered.Sort(static (a, b) =>
        {
            var byFacility = string.CompareOrdinal(a.FacilityCode, b.FacilityCode);
            return byFacility != 0 ? byFacility : string.CompareOrdinal(a.FacilityRecordId, b.FacilityRecordId);
        });
        var inserted = new HashSet<(string, string)>(offered.Count);
        if (_dialect.WritesRowByRow)
            InsertCertificatesRowByRow(connection, tx, offered, inserted);
        else
        {
            foreach (var chunk in offered.Chunk(RowsPerStatement))
                await InsertCertificatesAsync(connection, tx, chunk, inserted, ct).ConfigureAwait(false);
        }

        var now = LedgerTime.Normalize(_clock.GetUtcNow());
        var results = new RecordResult[group.Count];
        var audit = new List<(AuditEvent Event, string Subject, string Facility, string Details)>(group.Count);
        var certificatesAdded = 0;
        for (var i = 0; i < group.Count; i++)
        {
            var cert = group[i].Certificate;
            var key = (cert.FacilityCode, cert.FacilityRecordId);
            if (firstOfKey.TryGetValue(key, out var first) && first == i && inserted.Contains(key))
            {
                audit.Add(cert.IsReissue
                    ? (AuditEvent.Reissued, cert.Uvci, cert.FacilityCode, AuditDetailsFor.Reissued(cert))
                    : (AuditEvent.Issued, cert.Uvci, cert.FacilityCode, AuditDetailsFor.Issued(cert)));
                certificatesAdded++;
                results[i] = new RecordResult(RecordOutcome.Recorded, new LedgerEntry(cert, CertificateStatus.Issued, null, null));
                continue;
            }
            // Not inserted: the key exists (committed earlier, by a concurrent instance we waited for, or earlier in this
            // group), or only the UVCI collided with another record's.
            var existing = await FindOneAsync(connection, tx, "facility_code = @f AND facility_record_id = @r",
                c => c.With("@f", cert.FacilityCode).With("@r", cert.FacilityRecordId), ct).ConfigureAwait(false);
            if (existing is null)
                results[i] = new RecordResult(RecordOutcome.UvciTaken, null);
            else if (existing.Certificate.RecordHash.AsSpan().SequenceEqual(cert.RecordHash))
                results[i] = new RecordResult(RecordOutcome.AlreadyIssued, existing);
            else
            {
                audit.Add((AuditEvent.Refused, existing.Uvci, cert.FacilityCode, AuditDetailsFor.Conflict(existing, cert)));
                results[i] = new RecordResult(RecordOutcome.Conflict, existing);
            }
        }
        if (audit.Count > 0)
            await AppendManyAsync(connection, tx, audit, now, certificatesAdded, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return results;
    }

    /// <summary>The same rows, outcome and order as <see cref="InsertCertificatesAsync"/>, through one reused single-row statement (SQLite).</summary>
    private void InsertCertificatesRowByRow(DbConnection connection, DbTransaction tx, List<CertificateToRecord> rows, HashSet<(string, string)> inserted)
    {
        using var insert = connection.Reusable(tx, $"INSERT INTO certificates ({EntryColumns}) VALUES " +
            "(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, 'issued', NULL, NULL, @p9, @p10) ON CONFLICT DO NOTHING", 11);
        foreach (var c in rows)
        {
            insert.Set(0, c.Uvci).Set(1, c.FacilityCode).Set(2, c.FacilityRecordId).Set(3, c.RecordHash).Set(4, c.FacilityAttestation)
                .Set(5, c.SignerKid).Set(6, _dialect.TimeToDb(c.IssuedAt)).Set(7, _dialect.TimeToDb(c.ExpiresAt)).Set(8, c.Hc1)
                .Set(9, c.Generation).Set(10, c.ReissueOf);
            // Rows changed by this statement alone (not its triggers): 0 when any unique key was taken.
            if (insert.ExecuteNonQuery() == 1)
                inserted.Add((c.FacilityCode, c.FacilityRecordId));
        }
    }

    private async Task InsertCertificatesAsync(DbConnection connection, DbTransaction tx, CertificateToRecord[] rows,
        HashSet<(string, string)> inserted, CancellationToken ct)
    {
        var sql = new StringBuilder($"INSERT INTO certificates ({EntryColumns}) VALUES ");
        await using var insert = connection.Command(tx, "");
        for (var i = 0; i < rows.Length; i++)
        {
            var c = rows[i];
            sql.Append(i == 0 ? "" : ", ").Append($"(@u{i}, @f{i}, @r{i}, @h{i}, @a{i}, @k{i}, @i{i}, @e{i}, @c{i}, 'issued', NULL, NULL, @g{i}, @o{i})");
            insert.With($"@u{i}", c.Uvci).With($"@f{i}", c.FacilityCode).With($"@r{i}", c.FacilityRecordId).With($"@h{i}", c.RecordHash)
                .With($"@a{i}", c.FacilityAttestation).With($"@k{i}", c.SignerKid).With($"@i{i}", _dialect.TimeToDb(c.IssuedAt))
                .With($"@e{i}", _dialect.TimeToDb(c.ExpiresAt)).With($"@c{i}", c.Hc1).With($"@g{i}", c.Generation).With($"@o{i}", c.ReissueOf);
        }
        // No conflict target: a taken (facility, record id), a taken uvci and a certificate already re-issued are all skipped, never an error that would
        // abort the group; RETURNING names exactly the rows written.
        sql.Append(" ON CONFLICT DO NOTHING RETURNING facility_code, facility_record_id");
        insert.CommandText = sql.ToString();
        await using var reader = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            inserted.Add((reader.GetString(0), reader.GetString(1)));
    }

    /// <summary>Appends a group's audit entries in order inside its transaction: one head lock, the rows (one reused statement, or one insert per 100 entries), the Merkle nodes, one head update.</summary>
    private async Task AppendManyAsync(DbConnection connection, DbTransaction tx,
        List<(AuditEvent Event, string Subject, string Facility, string Details)> entries, DateTimeOffset time, int certificatesAdded,
        CancellationToken ct)
    {
        var head = await ReadHeadAsync(connection, tx, lockRow: true, ct).ConfigureAwait(false);
        var (seq, hash) = (head.Seq, head.Hash);
        var dbTime = _dialect.TimeToDb(time);
        // Chain first (seq, previous hash, entry hash per entry), then write the rows the engine's cheapest way.
        var chained = new (long Seq, string Event, string Subject, string Facility, string Details, byte[] Prev, byte[] Hash)[entries.Count];
        var entryHashes = new List<byte[]>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (auditEvent, subject, facility, details) = entries[i];
            var name = auditEvent.ToString();
            var prev = hash;
            seq++;
            hash = AuditHash.Compute(seq, time, name, subject, facility, details, prev);
            entryHashes.Add(hash);
            chained[i] = (seq, name, subject, facility, details, prev, hash);
        }
        if (_dialect.WritesRowByRow)
        {
            using var row = connection.Reusable(tx, $"INSERT INTO audit_log ({AuditColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)", 8);
            row.Set(1, dbTime);
            foreach (var e in chained)
                row.Set(0, e.Seq).Set(2, e.Event).Set(3, e.Subject).Set(4, e.Facility).Set(5, e.Details).Set(6, e.Prev).Set(7, e.Hash).ExecuteNonQuery();
        }
        else
        {
            foreach (var chunk in chained.Chunk(RowsPerStatement))
            {
                var sql = new StringBuilder($"INSERT INTO audit_log ({AuditColumns}) VALUES ");
                await using var insert = connection.Command(tx, "");
                for (var i = 0; i < chunk.Length; i++)
                {
                    var e = chunk[i];
                    sql.Append(i == 0 ? "" : ", ").Append($"(@s{i}, @t{i}, @ev{i}, @sub{i}, @fac{i}, @d{i}, @p{i}, @h{i})");
                    insert.With($"@s{i}", e.Seq).With($"@t{i}", dbTime).With($"@ev{i}", e.Event).With($"@sub{i}", e.Subject)
                        .With($"@fac{i}", e.Facility).With($"@d{i}", e.Details).With($"@p{i}", e.Prev).With($"@h{i}", e.Hash);
                }
                insert.CommandText = sql.ToString();
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        // The group's leaves and the subtrees they complete: one right-edge read, one multi-row insert per 300 nodes.
        var merkleSize = await ExtendMerkleAsync(connection, tx, head.MerkleSize, head.Seq, entryHashes, ct).ConfigureAwait(false);
        await using var update = connection.Command(tx,
                "UPDATE ledger_head SET last_seq = @s, last_hash = @h, certificates = certificates + @c, merkle_size = @m WHERE id = 1")
            .With("@s", seq).With("@h", hash).With("@c", certificatesAdded).With("@m", merkleSize);
        await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
