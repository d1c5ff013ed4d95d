using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Verifier;
using VaxCert.Verifier.Trust;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert verify [QR|-] [--file F] --trust PATH [--at TIME] [--json] [--no-schema] [--max-trust-age AGE]</c>.
/// Exit codes: 0 Valid, 1 usage error (also System.CommandLine's own parse errors), 2 Invalid, 3 Indeterminate.
/// </summary>
public sealed class VerifyCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var qr = new Argument<string?>("qr") { Description = "The HC1 text, or - to read it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file") { Description = "Read the HC1 text from this file" };
        var trust = new Option<string?>("--trust") { Description = "Trust list: a PEM/DER file or bundle, a folder of them, or an EU gateway trust-list JSON" };
        var at = new Option<string?>("--at") { Description = "Verify as of this ISO-8601 instant instead of now" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var noSchema = new Option<bool>("--no-schema") { Description = "Skip the JSON schema and value-set stages" };
        var maxAge = new Option<string?>("--max-trust-age") { Description = "Answer Indeterminate when the trust list is older than this (e.g. 1.00:00:00 or 36h)" };
        var facilityTrust = new Option<string?>("--facility-trust") { Description = "Also check the facility co-signature against this folder (facility-ca.crt.pem, facilities/, facility-revoked.txt)" };
        var requireCoSignature = new Option<bool>("--require-co-signature") { Description = "With --facility-trust: a QR without facility co-signature is invalid" };
        var command = new Command("verify", "Verify an HC1 certificate; exit 0 only when it is valid.") { qr, file, trust, at, json, noSchema, maxAge, facilityTrust, requireCoSignature };
        command.SetAction(parse => VerifyAction.Run(new VerifyRequest(parse.GetValue(qr), parse.GetValue(file), parse.GetValue(trust),
            parse.GetValue(at), parse.GetValue(json), parse.GetValue(noSchema), parse.GetValue(maxAge),
            parse.GetValue(facilityTrust), parse.GetValue(requireCoSignature)), AnsiConsole.Console, Console.In));
        root.Add(command);
    }
}

/// <summary>The parsed command line of <c>vaxcert verify</c>.</summary>
internal sealed record VerifyRequest(string? Qr, FileInfo? File, string? Trust, string? At, bool Json, bool NoSchema, string? MaxTrustAge,
    string? FacilityTrust = null, bool RequireCoSignature = false);

/// <summary>The verify action, separate from parsing so tests can drive it with any console.</summary>
internal static class VerifyAction
{
    public const int Valid = 0, Usage = 1, Invalid = 2, Indeterminate = 3;

    public static int Run(VerifyRequest request, IAnsiConsole console, TextReader stdin)
    {
        if (string.IsNullOrWhiteSpace(request.Trust)) return UsageError(console, "--trust PATH is required");
        string text;
        try
        {
            text = request.File is { } f ? File.ReadAllText(f.FullName)
                : request.Qr is null or "-" ? stdin.ReadToEnd()
                : request.Qr;
        }
        catch (IOException e) { return UsageError(console, e.Message); }
        catch (UnauthorizedAccessException e) { return UsageError(console, e.Message); }
        text = text.Trim();

        DateTimeOffset? at = null;
        if (request.At is { } atText)
        {
            if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return UsageError(console, $"--at '{atText}' is not an ISO-8601 time");
            at = parsed;
        }
        TimeSpan? maxAge = null;
        if (request.MaxTrustAge is { } ageText)
        {
            if (!TryParseAge(ageText, out var age)) return UsageError(console, $"--max-trust-age '{ageText}' is not a duration (36h, 7d, 1.00:00:00)");
            maxAge = age;
        }

        TrustList trustList;
        try { trustList = TrustListLoader.Load(request.Trust); }
        catch (TrustListException e) { return UsageError(console, e.Message); }
        catch (IOException e) { return UsageError(console, e.Message); }
        Verifier.Checks.FacilityCoSignatureCheck? facility;
        try { facility = FacilityVerifyLevel.Load(request.FacilityTrust, request.RequireCoSignature); }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        { return UsageError(console, e.Message); }

        var options = new VerifierOptions
        {
            Time = at is { } fixedNow ? new FixedClock(fixedNow) : TimeProvider.System,
            CheckSchema = !request.NoSchema,
            CheckValueSets = !request.NoSchema,
            MaxTrustListAge = maxAge,
            AdditionalChecks = facility is null ? [] : [facility],
        };
        var result = new Verifier.Verifier(trustList, options).Verify(text);
        var (level, facilityVerdict) = FacilityVerifyLevel.Describe(result, facility, text);
        if (request.Json)
        {
            var answer = ToJson(result, trustList);
            answer["failedLevel"] = level;
            answer["facility"] = facilityVerdict;
            console.Profile.Out.Writer.WriteLine(answer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            PrintSummary(console, result, trustList);
            if (facility is not null) console.MarkupLine($"Chain: failed level {level}, facility {Markup.Escape(facilityVerdict ?? "not checked")}");
        }
        return result.Outcome switch
        {
            VerificationOutcome.Valid => Valid,
            VerificationOutcome.Invalid => Invalid,
            _ => Indeterminate,
        };
    }

    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'h': age = TimeSpan.FromHours(n); return true;
                case 'd': age = TimeSpan.FromDays(n); return true;
                case 'm': age = TimeSpan.FromMinutes(n); return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out age) && age >= TimeSpan.Zero;
    }

    internal static JsonObject ToJson(VerificationResult r, TrustList trust)
    {
        var c = r.Certificate;
        var record = c?.Record;
        return new JsonObject
        {
            ["outcome"] = r.Outcome.ToString(),
            ["reason"] = (int)r.Reason,
            ["reasonName"] = r.Reason.ToString(),
            ["reasonText"] = r.Reason.Describe(),
            ["checkedAt"] = r.CheckedAt.ToString("O", CultureInfo.InvariantCulture),
            ["stages"] = new JsonArray(r.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Stage.ToString(), ["status"] = s.Status.ToString(), ["reason"] = (int)s.Reason,
            }).ToArray()),
            ["certificate"] = c is null ? null : new JsonObject
            {
                ["type"] = DccTypeReader.Letter(c.Type),
                ["iss"] = c.Issuer,
                ["iat"] = c.IssuedAt?.ToString("O", CultureInfo.InvariantCulture),
                ["exp"] = c.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
                ["nationality"] = c.Nationality,
                ["record"] = record is null ? null : JsonSerializer.SerializeToNode(record),
                ["dcc"] = JsonNode.Parse(c.DccJson),
            },
            ["signer"] = r.Signer is null ? null : JsonSerializer.SerializeToNode(r.Signer),
            ["trustList"] = new JsonObject
            {
                ["signers"] = trust.Signers.Count,
                ["issuedAt"] = trust.IssuedAt.ToString("O", CultureInfo.InvariantCulture),
                ["problems"] = new JsonArray(trust.Problems.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            },
        };
    }

    private static void PrintSummary(IAnsiConsole console, VerificationResult r, TrustList trust)
    {
        var color = r.Outcome switch { VerificationOutcome.Valid => "green", VerificationOutcome.Invalid => "red", _ => "yellow" };
        console.MarkupLine($"[{color} bold]{r.Outcome.ToString().ToUpperInvariant()}[/] {(int)r.Reason} {r.Reason}: {Markup.Escape(r.Reason.Describe())}");
        if (r.Certificate is { } c)
        {
            var table = new Table().AddColumn("Field").AddColumn("Value");
            if (c.Record is { } rec)
            {
                table.AddRow("1. Full name", Markup.Escape(rec.FullName));
                table.AddRow("2. Date of birth", Markup.Escape(rec.DateOfBirth));
                table.AddRow("3. Nationality", Markup.Escape(rec.Nationality));
                table.AddRow("4. Targeted disease", Markup.Escape(rec.TargetedDisease));
                table.AddRow("5. Doses in series", rec.TotalDoses.ToString(CultureInfo.InvariantCulture));
                table.AddRow("6. Date of vaccination", rec.DateOfVaccination.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                table.AddRow("7. Dose number", rec.DoseNumber.ToString(CultureInfo.InvariantCulture));
                table.AddRow("8. Vaccine type", Markup.Escape(rec.VaccineType));
                table.AddRow("9. Vaccine product", Markup.Escape(rec.VaccineProduct));
                table.AddRow("10. Manufacturer", Markup.Escape(rec.Manufacturer));
                table.AddRow("11. Certificate id", Markup.Escape(rec.CertificateId));
            }
            else
            {
                table.AddRow("DCC", Markup.Escape(c.DccJson));
            }
            table.AddRow("Type", DccTypeReader.Letter(c.Type));
            table.AddRow("Issuer (iss)", Markup.Escape(c.Issuer ?? "-"));
            table.AddRow("Issued (iat)", c.IssuedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            table.AddRow("Expires (exp)", c.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            console.Write(table);
        }
        if (r.Signer is { } s)
            console.MarkupLine($"Signer: kid [bold]{s.KeyId}[/], {Markup.Escape(s.Subject)}, country {Markup.Escape(s.Country)}");
        var failed = r.Stages.Where(x => x.Failed).Select(x => $"{x.Stage}={(int)x.Reason}").ToList();
        if (failed.Count > 0) console.MarkupLine($"Failed stages: {Markup.Escape(string.Join(", ", failed))}");
        console.MarkupLine($"Trust list: {trust.Signers.Count} signer(s), issued {trust.IssuedAt:u}" +
                           (trust.Problems.Count > 0 ? $", {trust.Problems.Count} entr(y/ies) skipped or flagged" : ""));
    }

    private static int UsageError(IAnsiConsole console, string message)
    {
        console.MarkupLine($"[red bold]error[/] {Markup.Escape(message)}");
        return Usage;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
