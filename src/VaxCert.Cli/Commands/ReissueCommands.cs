using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert reissue --uvci U | --expiring-before DATE [--facility F] [--cursor C] [--out FILE] [--ledger SPEC] [--config FILE]
/// [signer options | --dev]</c>: the operator's re-issue, straight on the ledger with the server's signer, settings and UVCI
/// key (as serve would build them), audited with actor <c>cli:USER</c>. Thin over <see cref="CertificateReissuer"/>: progress
/// lines with rate, ETA and the resume cursor; a rerun (with or without --cursor) never issues anything twice.
/// </summary>
public sealed class ReissueCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var uvci = new Option<string?>("--uvci") { Description = "Re-issue this one certificate" };
        var before = new Option<string?>("--expiring-before")
        {
            Description = "Re-issue every certificate expiring before this date (YYYY-MM-DD, 00:00 UTC, or an ISO 8601 instant); at most now + 12 months",
        };
        var facility = new Option<string?>("--facility") { Description = "With --expiring-before: only certificates of this facility code" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue after this cursor (printed by an interrupted run)" };
        var output = new Option<string?>("--out") { Description = "Append one JSON line per certificate (uvci, status, new_uvci, hc1 or reason) to this file" };
        var ledger = ServerSignerOptions.LedgerOption();
        var config = ServerSignerOptions.ConfigOption();
        var signer = new ServerSignerOptions("Sign with the PUBLIC development DSC of the keys folder (tests and demos only)");
        var command = new Command("reissue", ExitCodes.Describe(
            "Re-issue certificates from the ledger: a new certificate (new UVCI, 12 months from now, the current signer) linked to the old one, "
            + "which stays valid. Resumable (rerun, or --cursor) and idempotent: nothing is ever re-issued twice.",
            "0 done, 1 invalid request, 2 ledger or signer unusable or run interrupted (resume with the printed cursor), 3 done but some certificates were not re-issued"))
            { uvci, before, facility, cursor, output, ledger, config };
        signer.AddTo(command);
        command.SetAction((parse, ct) => ReissueRun.RunAsync(new ReissueArguments(parse.GetValue(uvci), parse.GetValue(before), parse.GetValue(facility),
            parse.GetValue(cursor), parse.GetValue(output)), parse.GetValue(config), signer.Collect(parse, parse.GetValue(ledger)), AnsiConsole.Console, ct));
        root.Add(command);
    }
}

/// <summary>What to re-issue, as given on the command line.</summary>
internal sealed record ReissueArguments(string? Uvci, string? ExpiringBefore, string? Facility, string? Cursor, string? Output);

/// <summary>The reissue action, separate from parsing so tests can drive it with any console.</summary>
internal static class ReissueRun
{
    public const int Done = 0, Invalid = 1, Unusable = 2, SomeFailed = 3;

    /// <summary>Seconds between two progress lines.</summary>
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(ReissueArguments args, string? configFile, IReadOnlyDictionary<string, string?> overrides,
        IAnsiConsole console, CancellationToken cancellationToken)
    {
        if ((args.Uvci is null) == (args.ExpiringBefore is null))
            return CliError.Fail(console, "give exactly one of --uvci UVCI or --expiring-before DATE", Invalid);
        if (args.Uvci is not null && args.Facility is not null)
            return CliError.Fail(console, "--facility goes with --expiring-before (a single --uvci names its facility)", Invalid);
        ReissueSelection selection;
        if (args.Uvci is not null)
            selection = new ReissueSelection.One(args.Uvci);
        else if (ParseDate(args.ExpiringBefore!) is { } before)
            selection = new ReissueSelection.Expiring(before, args.Facility);
        else
            return CliError.Fail(console, "--expiring-before must be a date YYYY-MM-DD or an ISO 8601 instant", Invalid);

        CertificateIssuanceService service;
        try
        {
            var settings = ServerConfiguration.Load(configFile, overrides);
            service = await IssuerServer.OpenOfflineServiceAsync(settings, NullLoggerFactory.Instance, cancellationToken);
            if (SignerFactory.UsesDevelopmentKey(settings))
                console.MarkupLine("[yellow]WARNING:[/] signing with the PUBLIC development DSC; anyone can forge these certificates");
        }
        catch (Exception ex) when (ex is ServerStartupException or LedgerException or ArgumentException or IOException)
        {
            return CliError.Fail(console, ex.Message, Unusable);
        }
        await using (service)
        {
            var reissuer = service.Reissuer;
            if (reissuer.Check(selection, args.Cursor) is { } refused)
                return CliError.Fail(console, $"{refused.Field}: {refused.Message}", Invalid);
            string? cursor = args.Cursor;
            try
            {
                if (selection is ReissueSelection.One one && await service.Ledger.FindByUvciAsync(one.Uvci, cancellationToken) is null)
                    return CliError.Fail(console, "no certificate with this UVCI in the ledger", Invalid);
                await using var lines = args.Output is null ? null : new StreamWriter(args.Output, append: true);
                var actor = "cli:" + (string.IsNullOrEmpty(Environment.UserName) ? "unknown" : Environment.UserName);
                var shown = Stopwatch.StartNew();
                ReissueReport? last = null;
                await foreach (var report in reissuer.RunAsync(selection, cursor, actor, cancellationToken: cancellationToken))
                {
                    last = report;
                    cursor = report.Cursor;
                    if (lines is not null && report.Items.Count > 0)
                    {
                        foreach (var item in report.Items)
                            await lines.WriteLineAsync(Json(item));
                        await lines.FlushAsync(cancellationToken);
                    }
                    if (selection is ReissueSelection.One)
                        foreach (var item in report.Items)
                            WriteItem(console, item);
                    else if (report.Finished || shown.Elapsed >= LineEvery || report.Done == 0)
                    {
                        WriteProgress(console, report);
                        shown.Restart();
                    }
                }
                console.MarkupLine($"{last!.Reissued:N0} re-issued, {last.AlreadyReissued:N0} already re-issued, {last.Failed:N0} not re-issued "
                                   + $"(audit seq {last.AuditSeq})");
                return last.Failed > 0 ? SomeFailed : Done;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return CliError.Fail(console, "interrupted: " + ResumeHint(cursor), Unusable);
            }
            catch (ReissueSignerException ex)
            {
                return CliError.Fail(console, $"the signer cannot sign ({ex.Reason}): " + ResumeHint(cursor), Unusable);
            }
            catch (Exception ex) when (ex is LedgerException or IOException or UnauthorizedAccessException)
            {
                return CliError.Fail(console, ex.Message + "; " + ResumeHint(cursor), Unusable);
            }
        }
    }

    private static string ResumeHint(string? cursor) =>
        cursor is null ? "nothing was re-issued yet; run the same command again" : $"rerun the same command to continue (or add --cursor '{cursor}')";

    private static DateTimeOffset? ParseDate(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at : null;
    }

    private static void WriteProgress(IAnsiConsole console, ReissueReport r)
    {
        var percent = r.Total == 0 ? 100 : 100.0 * r.Done / r.Total;
        var eta = r.Eta is { } e ? $"ETA {(int)e.TotalHours:00}:{e.Minutes:00}:{e.Seconds:00}" : "ETA -";
        console.MarkupLine(Markup.Escape(
            $"{r.Done:N0}/{r.Total:N0} ({percent:0.0} %)  {r.RatePerSecond:N0}/s  {eta}  re-issued {r.Reissued:N0}, already {r.AlreadyReissued:N0}, "
            + $"failed {r.Failed:N0}  cursor {r.Cursor ?? "-"}"));
    }

    private static void WriteItem(IAnsiConsole console, ReissueItem item) => console.MarkupLine(Markup.Escape(item.Status switch
    {
        ReissueStatus.Reissued => $"{item.Uvci} re-issued as {item.NewUvci} (generation {item.Generation}, expires {item.Successor!.ExpiresAt:yyyy-MM-dd})",
        ReissueStatus.AlreadyReissued => $"{item.Uvci} was already re-issued as {item.NewUvci} (generation {item.Generation})",
        _ => $"{item.Uvci} not re-issued: {item.Reason}: {item.Message}",
    }));

    private static string Json(ReissueItem item)
    {
        var o = new JsonObject { ["uvci"] = item.Uvci, ["status"] = item.Status.ToString() };
        if (item.NewUvci is not null) o["new_uvci"] = item.NewUvci;
        if (item.Generation > 0 && item.Status != ReissueStatus.Failed) o["generation"] = item.Generation;
        if (item.Successor is { } s)
        {
            o["hc1"] = s.Hc1;
            o["expires_at"] = s.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        }
        if (item.Reason is not null) o["reason"] = item.Reason;
        return o.ToJsonString();
    }
}
