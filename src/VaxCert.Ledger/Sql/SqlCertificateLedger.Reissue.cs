using System.Data.Common;

namespace VaxCert.Ledger.Sql;

/// <summary>Re-issue selection (docs/ledger.md, "Re-issue"): pages by UVCI with the successor joined through its unique link.</summary>
public abstract partial class SqlCertificateLedger : IReissueLedger
{
    /// <inheritdoc />
    public Task<IReadOnlyList<ReissueCandidate>> ListReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (where, bind) = SelectionFilter(selection, afterUvci);
        // The successor is looked up per candidate (a scalar subquery on the unique reissue_of index), not joined: with a
        // LEFT JOIN, PostgreSQL chose a merge join whose inner side walked the reissue_of index from its start on every
        // page, so each page cost more as the wave advanced (1-2 s a page at 1M certificates; quadratic in the wave).
        var sql = $"SELECT {QualifiedEntryColumns}, (SELECT s.uvci FROM certificates s WHERE s.reissue_of = c.uvci) "
                  + $"FROM certificates c WHERE {where} ORDER BY c.uvci LIMIT {limit}";
        return GuardAsync("select certificates to re-issue", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var page = new List<ReissueCandidate>(Math.Min(limit, 4096));
            await foreach (var row in ReadRowsAsync(connection, null, sql, bind,
                               r => new ReissueCandidate(ReadEntry(r), r.IsDBNull(EntryColumnCount) ? null : r.GetString(EntryColumnCount)),
                               cancellationToken).ConfigureAwait(false))
                page.Add(row);
            return (IReadOnlyList<ReissueCandidate>)page;
        });
    }

    /// <inheritdoc />
    public Task<long> CountReissueCandidatesAsync(ReissueSelection selection, string? afterUvci, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var (where, bind) = SelectionFilter(selection, afterUvci);
        return GuardAsync("count certificates to re-issue", async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var count = connection.Command(null, $"SELECT COUNT(*) FROM certificates c WHERE {where}");
            bind(count);
            return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    /// <inheritdoc />
    public Task<LedgerEntry?> FindReissueOfAsync(string uvci, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uvci);
        return FindAsync("reissue_of = @u", c => c.With("@u", uvci), cancellationToken);
    }

    private (string Where, Action<DbCommand> Bind) SelectionFilter(ReissueSelection selection, string? afterUvci)
    {
        var after = afterUvci is null ? "" : " AND c.uvci > @after";
        Action<DbCommand> bindAfter = c => { if (afterUvci is not null) c.With("@after", afterUvci); };
        return selection switch
        {
            ReissueSelection.One one => ("c.uvci = @u" + after, c => { c.With("@u", one.Uvci); bindAfter(c); }),
            ReissueSelection.Expiring { FacilityCode: null } e => ("c.expires_at < @before" + after,
                c => { c.With("@before", _dialect.TimeToDb(e.Before)); bindAfter(c); }),
            ReissueSelection.Expiring e => ("c.expires_at < @before AND c.facility_code = @f" + after,
                c => { c.With("@before", _dialect.TimeToDb(e.Before)).With("@f", e.FacilityCode); bindAfter(c); }),
            _ => throw new ArgumentException("unknown re-issue selection", nameof(selection)),
        };
    }
}
