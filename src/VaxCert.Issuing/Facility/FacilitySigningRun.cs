using System.Text;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;

namespace VaxCert.Issuing.Facility;

/// <summary>Progress of a signing run: rows handled so far out of the total.</summary>
public readonly record struct SigningProgress(long Done, long Total);

/// <summary>Totals of a signing run.</summary>
public sealed record SigningSummary(long Rows, long Signed, long AlreadySigned, long Rejected, bool RepairedTornLine)
{
    /// <summary>Every rejection, in row order.</summary>
    public IReadOnlyList<RowRejection> Rejections { get; init; } = [];
}

/// <summary>
/// The facility tool's core: reads the export, checks every row, signs the good ones with the facility key and appends them
/// to the bundle in fsync'd batches; rows whose record id is already in the bundle are skipped (resume). The identity
/// number is only used for the checks: it is never written to the bundle, the report or any message.
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
    /// <exception cref="SigningException">The facility key stopped working; batches already written stay in the bundle.</exception>
    public SigningSummary Run(IReadOnlyList<ExportRow> rows, BundleJournal journal, IProgress<SigningProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        EnsureCertificateMatchesFacility();
        var rejections = new List<RowRejection>();
        var batch = new List<BundleEntry>(batchSize);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long signed = 0, skipped = 0, rejected = 0, done = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = row.Get(ExportColumns.RecordId);
            if (id.Length > 0 && journal.SignedRecordIds.Contains(id)) { skipped++; seen.Add(id); }
            else if (id.Length > 0 && !seen.Add(id))
            {
                rejected++;
                rejections.Add(new RowRejection(row.RowNumber, ExportColumns.RecordId, "Duplicate",
                    "Mã bản ghi bị trùng với một dòng trước.", "The record id repeats an earlier row."));
            }
            else
            {
                var (ok, problems) = checker.Check(row);
                if (ok is null) { rejected++; rejections.AddRange(problems); }
                else
                {
                    batch.Add(Sign(ok));
                    if (batch.Count >= batchSize) { journal.Append(batch); signed += batch.Count; batch.Clear(); }
                }
            }
            if (++done % 64 == 0) progress?.Report(new SigningProgress(done, rows.Count));
        }
        journal.Append(batch);
        signed += batch.Count;
        progress?.Report(new SigningProgress(done, rows.Count));
        return new SigningSummary(rows.Count, signed, skipped, rejected, journal.RepairedTornLine) { Rejections = rejections };
    }

    private BundleEntry Sign(CheckedRow row)
    {
        var dcc = DccMapper.EncodeDcc(row.Record, settings)!; // validation already proved the names transliterate
        var attestation = FacilityAttestation.Create(facilitySigner, dcc, row.Record.Nationality);
        return new BundleEntry(row.RowNumber, row.RecordId, facilityCode, row.Record, attestation);
    }
}

/// <summary>Writes the rejection report: CSV with header row,field,code,message_vi,message_en (UTF-8 with BOM for Excel).</summary>
public static class RejectionReport
{
    /// <summary>Writes atomically (temp file + rename), so a crash never leaves a half report.</summary>
    public static void Write(string path, IEnumerable<RowRejection> rejections)
    {
        var sb = new StringBuilder("row,field,code,message_vi,message_en\n");
        foreach (var r in rejections)
            sb.Append(r.RowNumber).Append(',').Append(Cell(r.Field)).Append(',').Append(Cell(r.Code)).Append(',')
              .Append(Cell(r.MessageVi)).Append(',').Append(Cell(r.MessageEn)).Append('\n');
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString(), new UTF8Encoding(true));
        File.Move(tmp, path, overwrite: true);
    }

    private static string Cell(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
