using System.Data.Common;
using System.Runtime.CompilerServices;

namespace VaxCert.Ledger.Sql;

/// <summary>
/// The ledger over ADO.NET, shared by <see cref="SqliteLedger"/> and <see cref="PostgresLedger"/>; only
/// <see cref="SqlDialect"/> differs. Every write is one transaction that also appends its audit entry, so a crash leaves
/// either both or neither.
/// </summary>
public abstract partial class SqlCertificateLedger : ICertificateLedger
{
    private const string EntryColumns = "uvci, facility_code, facility_record_id, record_hash, facility_attestation, signer_kid, "
                                        + "issued_at, expires_at, hc1, status, revoked_at, revocation_reason, generation, reissue_of";
    private const string AuditColumns = "seq, time, event, subject, facility, details, prev_hash, entry_hash";
    private const int ProgressEvery = 10_000;

    private readonly SqlDialect _dialect;
    private readonly TimeProvider _clock;

    private protected SqlCertificateLedger(SqlDialect dialect, TimeProvider? clock)
    {
        _dialect = dialect;
        _clock = clock ?? TimeProvider.System;
        _commits = new CommitQueue(WriteGroupAsync);
    }

    /// <summary>Opens a pooled connection with the engine's per-connection settings applied.</summary>
    private protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Creates (when <paramref name="createIfEmpty"/>) or migrates the schema; called once by the engine's OpenAsync.</summary>
    /// <exception cref="NotALedgerException">The database is someone else's, or empty when an existing ledger was required.</exception>
    private protected Task InitializeAsync(bool createIfEmpty, CancellationToken cancellationToken) => GuardAsync("create or migrate the schema", async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var version = await SchemaMigrator.MigrateAsync(connection, _dialect, _clock, createIfEmpty, cancellationToken).ConfigureAwait(false);
        await CatchUpMerkleAsync(connection, cancellationToken).ConfigureAwait(false);
        return version;
    });

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    /// <remarks>Goes through the commit queue (SqlCertificateLedger.GroupCommit.cs): concurrent calls share one transaction.</remarks>
    public Task<RecordResult> RecordIssuedAsync(CertificateToRecord certificate, CancellationToken cancellationToken = default)
        => _commits.SubmitOne(CertificateValidation.Normalize(certificate), cancellationToken);

    /// <inheritdoc />
    public Task<RevokeResult> RevokeAsync(string uvci, string reason, CancellationToken cancellationToken = default)
    {
        CertificateValidation.RequireRevocation(uvci, reason);
        var now = LedgerTime.Normalize(_clock.GetUtcNow());
        return GuardAsync("revoke a certificate", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            int updated;
            await using (var update = connection.Command(tx,
                             "UPDATE certificates SET status = 'revoked', revoked_at = @t, revocation_reason = @why WHERE uvci = @u AND status = 'issued'")
                         .With("@t", _dialect.TimeToDb(now)).With("@why", reason).With("@u", uvci))
                updated = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var entry = await FindOneAsync(connection, tx, "uvci = @u", c => c.With("@u", uvci), cancellationToken).ConfigureAwait(false);
            if (updated == 1)
                await AppendAsync(connection, tx, AuditEvent.Revoked, uvci, entry!.Certificate.FacilityCode, AuditDetailsFor.Revoked(reason, now),
                    certificatesAdded: 0, revokedAdded: 1, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry is null ? new RevokeResult(RevokeOutcome.NotFound, null)
                : new RevokeResult(updated == 1 ? RevokeOutcome.Revoked : RevokeOutcome.AlreadyRevoked, entry);
        });
    }

    /// <inheritdoc />
    public Task<LedgerEntry?> FindByUvciAsync(string uvci, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uvci);
        return FindAsync("uvci = @u", c => c.With("@u", uvci), cancellationToken);
    }

    /// <inheritdoc />
    public Task<LedgerEntry?> FindByFacilityRecordAsync(string facilityCode, string facilityRecordId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facilityCode);
        ArgumentNullException.ThrowIfNull(facilityRecordId);
        return FindAsync("facility_code = @f AND facility_record_id = @r",
            c => c.With("@f", facilityCode).With("@r", facilityRecordId), cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RevokedCertificate> ListRevokedAsync(DateTimeOffset? since = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sql = "SELECT uvci, revoked_at FROM certificates WHERE status = 'revoked'"
                  + (since is null ? "" : " AND revoked_at >= @since") + " ORDER BY revoked_at, uvci";
        await using var connection = await GuardAsync("open the ledger", () => OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        var rows = ReadRowsAsync(connection, null, sql, c => { if (since is { } s) c.With("@since", _dialect.TimeToDb(s)); },
            r => new RevokedCertificate(r.GetString(0), _dialect.TimeFromDb(r, 1)), cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
            yield return row;
    }

    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(AuditEvent auditEvent, string subject, string facility, string detailsJson,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(facility);
        AuditDetails.RequireObject(detailsJson, nameof(detailsJson));
        return GuardAsync("append an audit entry", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var entry = await AppendAsync(connection, tx, auditEvent, subject, facility, detailsJson, 0, 0, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry;
        });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAuditAsync(long afterSeq = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await GuardAsync("open the ledger", () => OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        await foreach (var entry in ReadAuditRowsAsync(connection, null, afterSeq, cancellationToken).ConfigureAwait(false))
            yield return entry;
    }

    /// <inheritdoc />
    public Task<AuditChainReport> VerifyAuditChainAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        => GuardAsync("verify the audit chain", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // One snapshot for the head, the walk and the tables, so writes running meanwhile cannot look like tampering.
            await using var tx = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            var head = await ReadHeadAsync(connection, tx, lockRow: false, cancellationToken).ConfigureAwait(false);
            var walker = new AuditChainWalker();
            await foreach (var entry in ReadAuditRowsAsync(connection, tx, 0, cancellationToken).ConfigureAwait(false))
            {
                if (!walker.Accept(entry))
                    break;
                if (walker.Checked % ProgressEvery == 0)
                    progress?.Report(walker.Checked);
            }
            progress?.Report(walker.Checked);
            var chain = walker.Finish(head.Seq, head.Hash);
            if (!chain.Intact)
                return chain;
            // The chain is genuine, so the state it records is the truth: every table must match it.
            var state = new LedgerStateCheck(walker.IssuedEntries, walker.RevokedEntries);
            await foreach (var row in ReadRowsAsync(connection, tx, StateJoinSql, _ => { }, ReadStateRow, cancellationToken).ConfigureAwait(false))
            {
                if (!state.Accept(row.Entry, row.Issued, row.Revoked))
                    return chain with { FirstBreak = state.FirstBreak };
                if (state.Rows % ProgressEvery == 0)
                    progress?.Report(walker.Checked + state.Rows);
            }
            progress?.Report(walker.Checked + state.Rows);
            var missing = await FindUnmatchedIssuedAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            return chain with { CertificatesChecked = state.Rows, FirstBreak = state.Finish(missing, head.Certificates, head.Revoked) };
        });

    // Every certificate row beside the Issued and Revoked entries naming it; ordered so duplicates are adjacent.
    private const string StateJoinSql =
        $"SELECT {QualifiedEntryColumns}, i.seq, i.details, r.seq, r.details FROM certificates c "
        + "LEFT JOIN audit_log i ON i.subject = c.uvci AND i.event IN ('Issued', 'Reissued') "
        + "LEFT JOIN audit_log r ON r.subject = c.uvci AND r.event = 'Revoked' "
        + "ORDER BY c.uvci, i.seq, r.seq";

    private const string QualifiedEntryColumns = "c.uvci, c.facility_code, c.facility_record_id, c.record_hash, c.facility_attestation, "
                                                 + "c.signer_kid, c.issued_at, c.expires_at, c.hc1, c.status, c.revoked_at, c.revocation_reason, c.generation, c.reissue_of";

    private (LedgerEntry Entry, LoggedEvent? Issued, LoggedEvent? Revoked) ReadStateRow(DbDataReader r) => (ReadEntry(r),
        r.IsDBNull(EntryColumnCount) ? null : new LoggedEvent(r.GetInt64(EntryColumnCount), r.GetString(EntryColumnCount + 1)),
        r.IsDBNull(EntryColumnCount + 2) ? null : new LoggedEvent(r.GetInt64(EntryColumnCount + 2), r.GetString(EntryColumnCount + 3)));

    /// <summary>Columns <see cref="ReadEntry"/> reads; a query's extra columns follow them.</summary>
    private const int EntryColumnCount = 14;

    /// <summary>The first Issued entry whose certificate row is gone (deleted behind the ledger's back), if any.</summary>
    private static async Task<LoggedEvent?> FindUnmatchedIssuedAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        await foreach (var e in ReadRowsAsync(connection, tx,
                           "SELECT a.seq, a.subject FROM audit_log a LEFT JOIN certificates c ON c.uvci = a.subject "
                           + "WHERE a.event IN ('Issued', 'Reissued') AND c.uvci IS NULL ORDER BY a.seq LIMIT 1",
                           _ => { }, r => new LoggedEvent(r.GetInt64(0), r.GetString(1)), ct).ConfigureAwait(false))
            return e;
        return null;
    }

    /// <inheritdoc />
    public Task<LedgerCounts> GetCountsAsync(CancellationToken cancellationToken = default) => GuardAsync("read the counts", async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.Command(null, "SELECT certificates, revoked, last_seq FROM ledger_head WHERE id = 1");
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new LedgerException("the ledger_head row is missing");
        return new LedgerCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    });

    /// <inheritdoc />
    public async Task<LedgerHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = await SchemaMigrator.CurrentVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            return version == _dialect.Migrations.Count
                ? new LedgerHealth(true, $"ok (schema v{version})")
                : new LedgerHealth(false, $"schema is at v{version}, expected v{_dialect.Migrations.Count}");
        }
        catch (DbException ex)
        {
            return new LedgerHealth(false, "database error: " + ex.Message);
        }
    }

    /// <summary>
    /// Appends one audit entry inside the caller's transaction; the head's row lock makes the chain linear. With
    /// <paramref name="signHead"/> false no tree head is signed for it (the caller signs one before it commits).
    /// </summary>
    private async Task<AuditEntry> AppendAsync(DbConnection connection, DbTransaction tx, AuditEvent auditEvent, string subject,
        string facility, string details, int certificatesAdded, int revokedAdded, CancellationToken ct, bool signHead = true)
    {
        var head = await ReadHeadAsync(connection, tx, lockRow: true, ct).ConfigureAwait(false);
        var (lastSeq, lastHash) = (head.Seq, head.Hash);
        var seq = lastSeq + 1;
        var time = LedgerTime.Normalize(_clock.GetUtcNow());
        var name = auditEvent.ToString();
        var hash = AuditHash.Compute(seq, time, name, subject, facility, details, lastHash);
        await using (var insert = connection.Command(tx, $"INSERT INTO audit_log ({AuditColumns}) VALUES (@s, @t, @ev, @sub, @fac, @d, @p, @h)")
                         .With("@s", seq).With("@t", _dialect.TimeToDb(time)).With("@ev", name).With("@sub", subject)
                         .With("@fac", facility).With("@d", details).With("@p", lastHash).With("@h", hash))
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        var merkleSize = await ExtendMerkleAsync(connection, tx, head.MerkleSize, lastSeq, [hash], ct, signHead).ConfigureAwait(false);
        await using (var update = connection.Command(tx,
                         "UPDATE ledger_head SET last_seq = @s, last_hash = @h, certificates = certificates + @c, revoked = revoked + @r, merkle_size = @m WHERE id = 1")
                     .With("@s", seq).With("@h", hash).With("@c", certificatesAdded).With("@r", revokedAdded).With("@m", merkleSize))
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return new AuditEntry(seq, time, name, subject, facility, details, lastHash, hash);
    }

    /// <summary>The ledger_head row: the chain's end, the counters and how many entries the stored Merkle tree covers.</summary>
    private readonly record struct Head(long Seq, byte[] Hash, long Certificates, long Revoked, long MerkleSize);

    private async Task<Head> ReadHeadAsync(DbConnection connection, DbTransaction tx, bool lockRow, CancellationToken ct)
    {
        await using var query = connection.Command(tx,
            "SELECT last_seq, last_hash, certificates, revoked, merkle_size FROM ledger_head WHERE id = 1" + (lockRow ? _dialect.LockRowSuffix : ""));
        await using var reader = await query.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            throw new LedgerException("the ledger_head row is missing");
        return new Head(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    private Task<LedgerEntry?> FindAsync(string where, Action<DbCommand> bind, CancellationToken ct) => GuardAsync("look up a certificate", async () =>
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        return await FindOneAsync(connection, null, where, bind, ct).ConfigureAwait(false);
    });

    private async Task<LedgerEntry?> FindOneAsync(DbConnection connection, DbTransaction? tx, string where, Action<DbCommand> bind, CancellationToken ct)
    {
        await foreach (var entry in ReadRowsAsync(connection, tx, $"SELECT {EntryColumns} FROM certificates WHERE {where}", bind, ReadEntry, ct).ConfigureAwait(false))
            return entry;
        return null;
    }

    private IAsyncEnumerable<AuditEntry> ReadAuditRowsAsync(DbConnection connection, DbTransaction? tx, long afterSeq, CancellationToken ct)
        => ReadRowsAsync(connection, tx, $"SELECT {AuditColumns} FROM audit_log WHERE seq > @after ORDER BY seq", c => c.With("@after", afterSeq),
            ReadAuditEntry, ct);

    /// <summary>The audit entry with this seq, or null (one indexed row).</summary>
    private IAsyncEnumerable<AuditEntry> ReadAuditRowAsync(DbConnection connection, DbTransaction? tx, long seq, CancellationToken ct)
        => ReadRowsAsync(connection, tx, $"SELECT {AuditColumns} FROM audit_log WHERE seq = @s", c => c.With("@s", seq), ReadAuditEntry, ct);

    private AuditEntry ReadAuditEntry(DbDataReader r) => new(r.GetInt64(0), _dialect.TimeFromDb(r, 1), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetFieldValue<byte[]>(6), r.GetFieldValue<byte[]>(7));

    private LedgerEntry ReadEntry(DbDataReader r) => new(
        new CertificateToRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3), r.GetFieldValue<byte[]>(4),
            r.GetFieldValue<byte[]>(5), _dialect.TimeFromDb(r, 6), _dialect.TimeFromDb(r, 7), r.GetString(8),
            checked((int)r.GetInt64(12)), r.IsDBNull(13) ? null : r.GetString(13)),
        r.GetString(9) == "revoked" ? CertificateStatus.Revoked : CertificateStatus.Issued,
        r.IsDBNull(10) ? null : _dialect.TimeFromDb(r, 10),
        r.IsDBNull(11) ? null : r.GetString(11));

    /// <summary>Streams rows one by one (never buffers the result), turning database errors into LedgerException.</summary>
    private static async IAsyncEnumerable<T> ReadRowsAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Action<DbCommand> bind,
        Func<DbDataReader, T> map, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = connection.Command(tx, sql);
        bind(command);
        var reader = await GuardAsync("read the ledger", () => command.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await GuardAsync("read the ledger", () => reader.ReadAsync(ct)).ConfigureAwait(false))
                yield return map(reader);
        }
    }

    private static async Task<T> GuardAsync<T>(string operation, Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            // Provider messages name the failing statement or host, never the password.
            throw new LedgerException($"ledger database error while trying to {operation}: {ex.Message}", ex);
        }
    }
}
