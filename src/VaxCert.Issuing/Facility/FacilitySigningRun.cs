using System.Globalization;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Identity;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Csv;

namespace VaxCert.Issuing.Facility;

/// <summary>Progress of a signing run: rows handled so far out of the total.</summary>
public readonly record struct SigningProgress(long Done, long Total);

/// <summary>Totals of a signing run. The rejections themselves went to the run's rejection sink, not into memory.</summary>
public sealed record SigningSummary(long Rows, long Signed, long AlreadySigned, long Rejected, bool RepairedTornLine);

/// <summary>
/// The facility tool's core: streams the export, checks every row, signs the good ones with the facility key and appends them
/// to the bundle in fsync'd batches; rows whose record id is already in the bundle are skipped (resume). Memory stays
/// bounded whatever the export size: one row and one batch at a time, rejections handed to the caller as they happen, and
/// record ids remembered as 16-byte digests (<see cref="RecordIdSet"/>). The identity number is only used for the checks:
/// it is never written to the bundle, the report or any message.
/// </summary>
public sealed class FacilitySigningRun(ICoseSigner facilitySigner, string facilityCode, RowChecker checker, IssuerSettings settings,
    int batchSize = 256)
{
    /// <summary>Checks that the signer's certificate belongs to <paramref name="facilityCode"/>; throws otherwise (configuration error).</summary>
    public void EnsureCertificateMatchesFacility()
    {
        var certCode = FacilityIdentity.FacilityCodeOf(facilitySigner.Certificate);
        if (certCode != facilityCode)
            throw new ArgumentException($"the signing certificate is for facility '{certCode ?? "(none)"}', not '{facilityCode}'");
    }

    /// <summary>Runs over <paramref name="rows"/> and appends to <paramref name="journal"/>.</summary>
    /// <param name="rows">The export's rows, streamed.</param>
    /// <param name="totalRows">How many rows to expect, for progress only.</param>
    /// <param name="journal">The bundle.</param>
    /// <param name="onRejection">Receives every rejection, in row order (e.g. a <see cref="RejectionReport"/>).</param>
    /// <param name="progress">Rows handled so far.</param>
    /// <param name="cancellationToken">Stops between rows; batches already written stay in the bundle.</param>
    /// <exception cref="SigningException">The facility key stopped working; batches already written stay in the bundle.</exception>
    public SigningSummary Run(IEnumerable<ExportRow> rows, long totalRows, BundleJournal journal, Action<RowRejection>? onRejection = null,
        IProgress<SigningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(journal);
        EnsureCertificateMatchesFacility();
        var batch = new List<BundleEntry>(batchSize);
        var seen = new RecordIdSet();
        long signed = 0, skipped = 0, rejected = 0, done = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = row.Get(ExportColumns.RecordId);
            if (id.Length > 0 && journal.Contains(id)) { skipped++; seen.Add(id); }
            else if (id.Length > 0 && !seen.Add(id))
            {
                rejected++;
                // A repeated id that looks like an identity number is withheld here too (RowChecker would refuse it anyway).
                var shownId = PersonalIdentifierLikeness.LooksLikePersonalIdentifier(id) ? "" : id;
                onRejection?.Invoke(new RowRejection(row.RowNumber, shownId, ExportColumns.RecordId, "Duplicate",
                    "Mã bản ghi bị trùng với một dòng trước.", "The record id repeats an earlier row."));
            }
            else
            {
                var (ok, problems) = checker.Check(row);
                if (ok is null)
                {
                    rejected++;
                    foreach (var p in problems) onRejection?.Invoke(p);
                }
                else
                {
                    batch.Add(Sign(ok));
                    if (batch.Count >= batchSize) { journal.Append(batch); signed += batch.Count; batch.Clear(); }
                }
            }
            if (++done % 64 == 0) progress?.Report(new SigningProgress(done, Math.Max(totalRows, done)));
        }
        journal.Append(batch);
        signed += batch.Count;
        progress?.Report(new SigningProgress(done, Math.Max(totalRows, done)));
        return new SigningSummary(done, signed, skipped, rejected, journal.RepairedTornLine);
    }

    private BundleEntry Sign(CheckedRow row)
    {
        var dcc = DccMapper.EncodeDcc(row.Record, settings)!; // validation already proved the names transliterate
        var attestation = FacilityAttestation.Create(facilitySigner, dcc, row.Record.Nationality);
        return new BundleEntry(row.RowNumber, row.RecordId, facilityCode, row.Record, attestation);
    }
}

/// <summary>
/// The rejection report, streamed: CSV with header row,record_id,field,code,message_vi,message_en through the one
/// <see cref="CsvWriter"/> (UTF-8 with BOM for Excel, formula-neutralised cells, renamed into place only by
/// <see cref="Commit"/>, so a crash never leaves a half report).
/// </summary>
public sealed class RejectionReport : IDisposable
{
    /// <summary>The report's columns.</summary>
    public static readonly string[] Header = ["row", "record_id", "field", "code", "message_vi", "message_en"];

    private readonly CsvWriter _csv;

    public RejectionReport(string path) => _csv = new CsvWriter(path, Header);

    /// <summary>Appends one rejection.</summary>
    public void Add(RowRejection r) =>
        _csv.WriteRow([r.RowNumber.ToString(CultureInfo.InvariantCulture), r.RecordId, r.Field, r.Code, r.MessageVi, r.MessageEn]);

    /// <summary>Puts the finished report in place.</summary>
    public void Commit() => _csv.Commit();

    public void Dispose() => _csv.Dispose();
}
