using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using VaxCert.Core.Signing;
using VaxCert.Issuing.Revocation;
using VaxCert.Verifier.Revocation;
using VaxCert.Ledger;
using VaxCert.Server.Configuration;
using VaxCert.Server.Hosting;
using VaxCert.Server.Issuance;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert revoke --facility CODE | --kid HEX --reason R [--ledger SPEC] [--config FILE]</c>: the operator's mass
/// revocation, straight on the ledger (whoever can open the ledger is an operator); audited as the gRPC one, with actor
/// <c>cli:USER</c>. <c>vaxcert revocations export [--since N] --out FILE</c>: the signed revocation list (full, or the
/// delta since version N), offline, signed by the configured document signer. Both are thin over
/// <see cref="IRevocationLedger"/>, <see cref="MassRevocationOutcome.Check"/> and <see cref="RevocationListPublisher"/>.
/// </summary>
public sealed class RevocationCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var ledger = ServerSignerOptions.LedgerOption();
        var config = ServerSignerOptions.ConfigOption();
        var facility = new Option<string?>("--facility") { Description = "Revoke every certificate co-signed by this facility code" };
        var kid = new Option<string?>("--kid") { Description = "Revoke every certificate signed by the DSC with this kid (hex, 16 digits)" };
        var reason = new Option<string>("--reason") { Description = "Short reason code for the audit log (e.g. facility-closed, key-compromise)", Required = true };
        var revoke = new Command("revoke",
            ExitCodes.Describe("Revoke ALL certificates of one facility (--facility) or of one document signer (--kid), in one audited operation. Idempotent.",
                "0 done, 1 invalid request, 2 ledger unreadable")) { facility, kid, reason, ledger, config };
        revoke.SetAction((parse, ct) => RevocationRun.RevokeAsync(parse.GetValue(facility), parse.GetValue(kid), parse.GetValue(reason)!,
            parse.GetValue(ledger), parse.GetValue(config), AnsiConsole.Console, ct));
        root.Add(revoke);

        var since = new Option<long>("--since") { Description = "Version the consumer holds: export only the delta after it (default 0: the full list)" };
        var output = new Option<string>("--out") { Description = "File to write the signed list (COSE_Sign1) to", Required = true };
        var signer = new ServerSignerOptions("Sign with the PUBLIC development DSC of the keys folder (tests and demos only)");
        var mode = new Option<string>("--partition-mode")
        {
            Description = "How each (kid, hash type) is partitioned, as the EU revocation service does: POINT (one), VECTOR (by first hash byte; default), COORDINATE (first two bytes). Keep it between a full list and its deltas",
            DefaultValueFactory = _ => "VECTOR",
        };
        var export = new Command("export",
            ExitCodes.Describe("Write the signed revocation list (EU hash formats, partitioned by kid; docs/verifier.md) or the delta since a version.",
                "0 written, 1 invalid request, 2 ledger or signer unusable")) { since, output, ledger, config, mode };
        signer.AddTo(export);
        export.SetAction((parse, ct) => RevocationRun.ExportAsync(parse.GetValue(since), parse.GetValue(output)!, parse.GetValue(config),
            signer.Collect(parse, parse.GetValue(ledger)), AnsiConsole.Console, ct, parse.GetValue(mode)));
        root.Add(new Command("revocations", "The issuer's published revocation lists.") { export });
    }
}

/// <summary>The revoke and export actions, separate from parsing so tests can drive them with any console.</summary>
internal static class RevocationRun
{
    public const int Done = 0, Invalid = 1, Unusable = 2;

    public static async Task<int> RevokeAsync(string? facility, string? kidHex, string reason, string? spec, string? configFile,
        IAnsiConsole console, CancellationToken cancellationToken)
    {
        if ((facility is null) == (kidHex is null))
            return Fail(console, "give exactly one of --facility CODE or --kid HEX", Invalid);
        byte[]? kid = null;
        if (kidHex is not null && !TryHex(kidHex, out kid))
            return Fail(console, "--kid must be hexadecimal (the DSC kid, e.g. as `vaxcert inspect` shows it)", Invalid);
        RevocationScope scope = facility is not null ? new RevocationScope.Facility(facility) : new RevocationScope.Signer(kid!);
        if (MassRevocationOutcome.Check(scope, reason) is { } invalid)
            return Fail(console, $"{ReasonCodes.ToSnake(invalid.Field!)}: {invalid.Message}", Invalid);
        try
        {
            var parsed = LedgerSpec.Parse(spec ?? ServerConfiguration.Load(configFile).Ledger);
            await using var ledger = await parsed.OpenAsync(LedgerOpenMode.ExistingOnly, cancellationToken: cancellationToken);
            if (ledger is not IRevocationLedger bulk)
                return Fail(console, "this ledger does not support mass revocation", Unusable);
            var actor = "cli:" + (string.IsNullOrEmpty(Environment.UserName) ? "unknown" : Environment.UserName);
            var result = await bulk.RevokeAllAsync(scope, reason, actor, cancellationToken);
            console.MarkupLine($"[bold]{result.Revoked:N0}[/] certificates of {scope.Kind} [bold]{Markup.Escape(scope.Key)}[/] revoked, "
                               + $"{result.AlreadyRevoked:N0} already revoked (audit seq {result.AuditSeq})");
            return Done;
        }
        catch (NotALedgerException ex)
        {
            return Fail(console, "not a VaxCert ledger: " + ex.Message, Unusable);
        }
        catch (Exception ex) when (ex is LedgerException or ArgumentException)
        {
            return Fail(console, ex.Message, Unusable);
        }
    }

    public static async Task<int> ExportAsync(long since, string output, string? configFile, IReadOnlyDictionary<string, string?> overrides,
        IAnsiConsole console, CancellationToken cancellationToken, string? partitionMode = null)
    {
        if (since < 0)
            return Fail(console, "--since must be 0 (full list) or a published version", Invalid);
        if (!Enum.TryParse<RevocationPartitionMode>(partitionMode ?? "VECTOR", ignoreCase: true, out var mode) || !Enum.IsDefined(mode)
            || int.TryParse(partitionMode, out _))
            return Fail(console, $"--partition-mode must be POINT, VECTOR or COORDINATE, not '{partitionMode}'", Invalid);
        ICoseSigner? signer = null;
        try
        {
            var settings = ServerConfiguration.Load(configFile, overrides);
            signer = SignerFactory.Open(settings);
            if (SignerFactory.UsesDevelopmentKey(settings))
                console.MarkupLine("[yellow]WARNING:[/] signed with the PUBLIC development DSC; anyone can forge this list");
            await using var ledger = await LedgerSpec.Parse(settings.Ledger).OpenAsync(LedgerOpenMode.ExistingOnly, cancellationToken: cancellationToken);
            var publisher = new RevocationListPublisher(ledger, signer, new RevocationListOptions { Mode = mode }, TimeProvider.System,
                NullLogger.Instance);
            var (list, refusal) = await publisher.GetAsync(since, cancellationToken);
            if (list is null)
                return refusal == RevocationListRefusal.SinceVersionAhead
                    ? Fail(console, $"--since {since} is beyond the ledger: not a version of this issuer's list", Invalid)
                    : Fail(console, "this ledger cannot publish revocation lists", Unusable);
            await File.WriteAllBytesAsync(output, list.Signed, cancellationToken);
            console.MarkupLine($"{(since == 0 ? "Full list" : $"Delta since {since}")} version [bold]{list.Version}[/]: {list.Certificates:N0} certificates, "
                               + $"{list.Entries:N0} hashes, {list.Signed.Length:N0} bytes -> {Markup.Escape(output)}");
            return Done;
        }
        catch (NotALedgerException ex)
        {
            return Fail(console, "not a VaxCert ledger: " + ex.Message, Unusable);
        }
        catch (Exception ex) when (ex is LedgerException or ArgumentException or IOException or SigningException or UnauthorizedAccessException
                                       or System.Security.Cryptography.CryptographicException or Pkcs11.Pkcs11LookupException)
        {
            return Fail(console, ex.Message, Unusable);
        }
        finally
        {
            signer?.Dispose();
        }
    }

    private static bool TryHex(string text, out byte[]? bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = null;
            return false;
        }
    }

    private static int Fail(IAnsiConsole console, string message, int code) => CliError.Fail(console, message, code);
}
