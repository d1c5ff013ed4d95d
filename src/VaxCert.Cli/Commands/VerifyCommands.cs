using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Core.Dcc;
using VaxCert.Printing.Scanning;
using VaxCert.Verifier;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Trust;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert verify [QR|-] [--file F | --folder DIR] --trust PATH [--at TIME] [--json] [--no-schema] [--max-trust-age AGE]</c>.
/// F may hold the HC1 text or be a PNG of the QR (screenshot, phone card, photo). Exit codes: 0 Valid, 1 usage error (a missing
/// --trust, a bad --at, an image with no readable QR; an unknown option is 64 like every command), 2 Invalid, 3 Indeterminate; for a folder the
/// worst answer wins (any Invalid: 2; else any Indeterminate or unreadable file: 3).
/// </summary>
public sealed class VerifyCommands : ICliModule
{
    /// <summary>The exit codes as --help lists them.</summary>
    public const string ExitCodesHelp = "Exit codes: 0 valid, 2 invalid, 3 indeterminate (no decision: e.g. trust list too old), 1 usage error. " +
                                        "With --folder: 2 if any certificate is invalid, else 3 if any is indeterminate or unreadable, else 0.";

    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var qr = new Argument<string?>("qr") { Description = "The HC1 text, or - to read it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file") { Description = "Read the certificate from this file: HC1 text, or a PNG image of the QR code" };
        var folder = new Option<DirectoryInfo?>("--folder") { Description = "Verify every *.png, *.txt and *.hc1 file in this folder and print a summary" };
        var trust = new Option<string?>("--trust") { Description = "Required. Trust list: a PEM/DER file or bundle, a folder of them, or an EU gateway trust-list JSON" };
        var at = new Option<string?>("--at") { Description = "Verify as of this ISO-8601 instant instead of now" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (for machines)" };
        var noSchema = new Option<bool>("--no-schema") { Description = "Skip the JSON schema and value-set stages" };
        var maxAge = new Option<string?>("--max-trust-age") { Description = "Answer Indeterminate when the trust list is older than this (e.g. 1.00:00:00 or 36h)" };
        var facilityTrust = new Option<string?>("--facility-trust") { Description = "Also check the facility co-signature against this folder (facility-ca.crt.pem, facilities/, facility-revoked.txt)" };
        var requireCoSignature = new Option<bool>("--require-co-signature") { Description = "With --facility-trust: a QR without facility co-signature is invalid" };
        var bundle = new Option<string?>("--bundle") { Description = "Use a signed offline trust bundle (vaxcert bundle build) instead of --trust: DSCs, revocations, facility trust, value sets" };
        var anchor = new Option<string?>("--anchor") { Description = "With --bundle: the pinned anchor certificate PEM the bundle must chain to (keys-dev/csca.crt.pem for dev bundles)" };
        var revocation = new Option<string?>("--revocation") { Description = "Also check the issuer's signed revocation list (vaxcert revocations export; signed by a DSC of the trust list)" };
        var revocationDelta = new Option<string[]>("--revocation-delta") { Description = "With --revocation: apply this signed delta on top (repeatable, in version order)" };
        var command = new Command("verify", "Verify an HC1 certificate (text, PNG image, or a folder of them); exit 0 only when it is valid. " + ExitCodesHelp + ExitCodes.Common)
        {
            qr, file, folder, trust, at, json, noSchema, maxAge, facilityTrust, requireCoSignature, bundle, anchor, revocation, revocationDelta,
        };
        command.SetAction(parse => VerifyAction.Run(new VerifyRequest(parse.GetValue(qr), parse.GetValue(file), parse.GetValue(trust),
            parse.GetValue(at), parse.GetValue(json), parse.GetValue(noSchema), parse.GetValue(maxAge),
            parse.GetValue(facilityTrust), parse.GetValue(requireCoSignature), parse.GetValue(folder), parse.GetValue(bundle), parse.GetValue(anchor),
            parse.GetValue(revocation), parse.GetValue(revocationDelta) ?? []),
            AnsiConsole.Console, Console.In));
        root.Add(command);
    }
}

/// <summary>The parsed command line of <c>vaxcert verify</c>.</summary>
internal sealed record VerifyRequest(string? Qr, FileInfo? File, string? Trust, string? At, bool Json, bool NoSchema, string? MaxTrustAge,
    string? FacilityTrust = null, bool RequireCoSignature = false, DirectoryInfo? Folder = null, string? Bundle = null, string? Anchor = null,
    string? Revocation = null, IReadOnlyList<string>? RevocationDeltas = null);

/// <summary>The verify action, separate from parsing so tests can drive it with any console.</summary>
internal static class VerifyAction
{
    public const int Valid = 0, Usage = 1, Invalid = 2, Indeterminate = 3;

    /// <summary>Line width used when the console is not an interactive terminal (a pipe or a file): lines are never wrapped there.</summary>
    public const int UnwrappedWidth = CliApp.UnwrappedWidth;

    private static readonly JsonSerializerOptions Indented = CliJson.Indented;

    public static int Run(VerifyRequest request, IAnsiConsole console, TextReader stdin)
    {
        // Spectre wraps at 80 columns when it cannot see a terminal; a log or a pipe wants whole lines.
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = UnwrappedWidth;
        if (string.IsNullOrWhiteSpace(request.Trust) && request.Bundle is null) return UsageError(console, "--trust PATH (or --bundle FILE --anchor PEM) is required");
        if (request.Bundle is not null && request.Trust is not null) return UsageError(console, "--bundle replaces --trust; give one of them");
        if (request.Folder is not null && (request.File is not null || request.Qr is not null))
            return UsageError(console, "--folder cannot be combined with a QR text or --file");
        if (request.Revocation is null && request.RevocationDeltas is { Count: > 0 })
            return UsageError(console, "--revocation-delta needs the full list it applies to (--revocation FILE)");

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

        if (request.Bundle is { } bundlePath)
        {
            var options = new VerifierOptions
            {
                Time = at is { } bundleNow ? new FixedClock(bundleNow) : TimeProvider.System,
                CheckSchema = !request.NoSchema, CheckValueSets = !request.NoSchema, MaxTrustListAge = maxAge,
            };
            string? revocationProblem = null;
            RevocationListDocument? bundleRevocations = null;
            var (bundleVerifier, bundleTrust, refusal, usage) = BundleVerify.CreateVerifier(bundlePath, request.Anchor, at, options, request.RequireCoSignature, console,
                trust => RevocationListFiles.TryLoad(request.Revocation, request.RevocationDeltas, trust, out bundleRevocations, out revocationProblem));
            if (revocationProblem is not null) return UsageError(console, revocationProblem);
            if (usage) return Usage;
            if (refusal is not null)
            {
                // No trust material that may be used: no decision either way.
                if (request.Json) console.Profile.Out.Writer.WriteLine(BundleVerify.RefusalJson(refusal).ToJsonString(Indented));
                else BundleVerify.PrintStatus(console, refusal);
                return Indeterminate;
            }
            return VerifyWith(request, bundleVerifier!, bundleTrust!, null, bundleRevocations, console, stdin);
        }

        TrustList trustList;
        try { trustList = TrustListLoader.Load(request.Trust!); }
        catch (TrustListException e) { return UsageError(console, e.Message); }
        catch (IOException e) { return UsageError(console, e.Message); }
        Verifier.Checks.FacilityCoSignatureCheck? facility;
        try { facility = FacilityVerifyLevel.Load(request.FacilityTrust, request.RequireCoSignature); }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        { return UsageError(console, e.Message); }

        var checks = RevocationListFiles.TryLoad(request.Revocation, request.RevocationDeltas, trustList, out var revocations, out var problem);
        if (problem is not null) return UsageError(console, problem);
        if (facility is not null) checks = [.. checks, facility];
        var verifier = new Verifier.CertificateVerifier(trustList, new VerifierOptions
        {
            Time = at is { } fixedNow ? new FixedClock(fixedNow) : TimeProvider.System,
            CheckSchema = !request.NoSchema,
            CheckValueSets = !request.NoSchema,
            MaxTrustListAge = maxAge,
            AdditionalChecks = checks,
        });
        return VerifyWith(request, verifier, trustList, facility, revocations, console, stdin);
    }

    private static int VerifyWith(VerifyRequest request, Verifier.CertificateVerifier verifier, TrustList trustList,
        Verifier.Checks.FacilityCoSignatureCheck? facility, RevocationListDocument? revocations, IAnsiConsole console, TextReader stdin)
    {
        if (request.Folder is { } folder) return VerifyFolder.Run(folder, verifier, trustList, request.Json, console);

        string text;
        if (request.File is { } f)
        {
            var input = CertificateInput.Read(f.FullName);
            if (input.Text is null) return UsageError(console, input.Problem!);
            text = input.Text;
        }
        else
        {
            text = (request.Qr is null or "-" ? stdin.ReadToEnd() : request.Qr).Trim();
        }

        var result = verifier.Verify(text);
        var (level, facilityVerdict) = FacilityVerifyLevel.Describe(result, facility, text);
        if (request.Json)
        {
            var answer = ToJson(result, trustList, verifier.Options.ValueSets);
            answer["failedLevel"] = level;
            answer["facility"] = facilityVerdict;
            if (revocations is not null)
                answer["revocationList"] = new JsonObject
                {
                    ["issuer"] = revocations.Issuer, ["version"] = revocations.Version, ["entries"] = revocations.EntryCount,
                    ["issuedAt"] = revocations.IssuedAt.ToString("O", CultureInfo.InvariantCulture),
                };
            console.Profile.Out.Writer.WriteLine(answer.ToJsonString(Indented));
        }
        else
        {
            BorderDeskView.Print(console, result, trustList, facilityVerdict, verifier.Options.ValueSets);
        }
        return ExitCode(result.Outcome);
    }

    public static int ExitCode(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Valid => Valid,
        VerificationOutcome.Invalid => Invalid,
        _ => Indeterminate,
    };

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

    internal static JsonObject ToJson(VerificationResult r, TrustList trust, ValueSets? sets = null)
    {
        var c = r.Certificate;
        var record = c?.Record;
        return new JsonObject
        {
            ["outcome"] = r.Outcome.ToString(),
            ["reason"] = (int)r.Reason,
            ["reasonName"] = r.Reason.ToString(),
            ["reasonText"] = r.Reason.Describe(),
            ["plainReason"] = BorderDeskView.PlainReason(r.Reason).English,
            ["plainReasonVi"] = BorderDeskView.PlainReason(r.Reason).Vietnamese,
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
                ["icaoName"] = DisplayNames.IcaoName(c.GetDcc()),
                // The 11 fields as people read them (display names, not codes); as untrusted as the rest unless outcome is Valid.
                ["display"] = record is null ? null : new JsonArray(DisplayNames.Fields(record, null, sets).Select(f => (JsonNode)new JsonObject
                {
                    ["number"] = f.Number, ["label"] = f.Label.English, ["labelVi"] = f.Label.Vietnamese,
                    ["value"] = f.Value.English, ["valueVi"] = f.Value.Vietnamese,
                }).ToArray()),
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

    private static int UsageError(IAnsiConsole console, string message)
    {
        return CliError.Fail(console, message, Usage);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>A certificate read from a file: the HC1 text of a text file, or of the QR code in a PNG image.</summary>
internal sealed record CertificateInput(string? Text, string? Problem)
{
    public static CertificateInput Read(string path)
    {
        byte[] head;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            head = new byte[8];
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, $"cannot read {path}: {e.Message}");
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (IsImage(head) || extension is ".png" or ".jpg" or ".jpeg")
        {
            var scan = QrImageReader.ReadFile(path);
            return scan.Success ? new(scan.Text!.Trim(), null) : new(null, $"{Path.GetFileName(path)}: {scan.Message}");
        }
        try
        {
            return new(System.IO.File.ReadAllText(path).Trim(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, $"cannot read {path}: {e.Message}");
        }
    }

    // PNG or JPEG signature: scanned as an image (JPEG gets QrImageReader's explanation).
    private static bool IsImage(ReadOnlySpan<byte> head) =>
        head.Length >= 3 && ((head[0] == 0x89 && head[1] == (byte)'P' && head[2] == (byte)'N') || (head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF));
}

/// <summary>
/// What a border officer reads: the verdict first and big, the reason in plain Vietnamese and English, then the data —
/// marked untrusted unless the certificate is valid. Names instead of codes, the passport (ICAO) form of the name.
/// </summary>
internal static class BorderDeskView
{
    public static void Print(IAnsiConsole console, VerificationResult r, TrustList trust, string? facilityVerdict, ValueSets? sets = null)
    {
        var (vi, en, colour, mark) = Verdict(r.Outcome);
        console.Write(new Panel(new Markup($"[bold {colour}]{mark}  {vi}  /  {en}[/]")) { Border = BoxBorder.Double, Padding = new Padding(3, 1, 3, 1) });
        var reason = PlainReason(r.Reason);
        var when = r.Reason == ReasonCode.CwtExpired && r.Certificate?.ExpiresAt is { } exp ? $" ({FormatTime(exp)})" : "";
        console.MarkupLine($"[bold]{Markup.Escape(reason.Vietnamese + when)}[/]");
        console.MarkupLine($"[bold]{Markup.Escape(reason.English + when)}[/]");
        if (r.Outcome != VerificationOutcome.Valid) console.MarkupLine($"[grey](mã / code {(int)r.Reason})[/]");
        console.WriteLine();

        var trusted = r.Outcome == VerificationOutcome.Valid;
        if (r.Certificate is { } c)
        {
            if (!trusted)
            {
                console.MarkupLine($"[{colour} bold]DỮ LIỆU KHÔNG ĐÁNG TIN - không dùng để nhận dạng người mang[/]");
                console.MarkupLine($"[{colour} bold]UNTRUSTED DATA - do not use it to identify the holder[/]");
            }
            foreach (var (label, value) in Rows(c, sets)) Row(console, label, value, trusted);
            if (trusted && DisplayNames.IcaoName(c.GetDcc()) is { } icao)
                console.MarkupLine($"Đối chiếu với hộ chiếu / Compare with the passport: [bold]{Markup.Escape(icao)}[/]");
        }
        else
        {
            console.MarkupLine("[grey]Không đọc được dữ liệu nào / No certificate data could be read.[/]");
        }
        console.WriteLine();
        if (r.Signer is { } s && trusted)
            console.MarkupLine($"[grey]Ký bởi / Signed by: {Markup.Escape(s.Subject)} ({Markup.Escape(DisplayNames.Country(s.Country).English)}, key {s.KeyId})[/]");
        if (facilityVerdict is not null)
            console.MarkupLine($"[grey]Chữ ký cơ sở tiêm chủng / Facility co-signature: {Markup.Escape(facilityVerdict == "Valid" ? "hợp lệ / valid" : facilityVerdict)}[/]");
        console.MarkupLine($"[grey]Danh sách tin cậy / Trust list: {trust.Signers.Count} signer(s), issued {FormatTime(trust.IssuedAt)}" +
                           (trust.Problems.Count > 0 ? $", {trust.Problems.Count} entr(y/ies) skipped" : "") + "[/]");
    }

    /// <summary>One line per file in folder mode: verdict word, file, and the name (or the reason when not valid).</summary>
    public static string OneLine(string file, VerificationResult r)
    {
        var (vi, en, _, mark) = Verdict(r.Outcome);
        var who = r.Certificate?.Record is { } rec ? rec.FullName : "";
        var detail = r.Outcome == VerificationOutcome.Valid
            ? $"{who}  {DisplayNames.Product(r.Certificate!.Record?.VaccineProduct).English}"
            : PlainReason(r.Reason).Both;
        return $"{mark} {vi} / {en}  {file}  {detail}";
    }

    public static (string Vietnamese, string English, string Colour, string Mark) Verdict(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Valid => ("HỢP LỆ", "VALID", "green", "✓"),
        VerificationOutcome.Invalid => ("KHÔNG HỢP LỆ", "INVALID", "red", "✗"),
        _ => ("CHƯA XÁC ĐỊNH", "NO DECISION", "yellow", "?"),
    };

    /// <summary>The reason as a border officer can act on it, in Vietnamese and English.</summary>
    public static BilingualText PlainReason(ReasonCode code) => code switch
    {
        ReasonCode.None => new("Chứng nhận thật, chữ ký đúng và còn hạn.", "The certificate is genuine and in date."),
        ReasonCode.KidUnknown => new("Chứng nhận được ký bởi một cơ quan không có trong danh sách tin cậy.",
            "The certificate was signed by an authority that is not on the trust list."),
        ReasonCode.SignatureInvalid => new("Chữ ký không khớp: chứng nhận đã bị sửa đổi hoặc giả mạo.",
            "The signature does not match: the certificate was altered or forged."),
        ReasonCode.AlgorithmUnsupported or ReasonCode.KidMissing => new("Chứng nhận không được ký theo cách được chấp nhận.",
            "The certificate is not signed in an accepted way."),
        ReasonCode.KeyUsageMismatch => new("Cơ quan ký không được phép cấp loại chứng nhận này.",
            "The signing authority may not issue this kind of certificate."),
        ReasonCode.SignerNotValidAtIssuance => new("Khóa ký của cơ quan cấp không còn hiệu lực vào ngày cấp.",
            "The issuer's signing key was not valid on the day the certificate was issued."),
        ReasonCode.SignerChainInvalid => new("Khóa ký không được cơ quan gốc của quốc gia đó bảo lãnh.",
            "The signing key is not backed by its country's root authority."),
        ReasonCode.CwtExpired => new("Chứng nhận đã hết hạn.", "The certificate has expired."),
        ReasonCode.CwtNotYetValid => new("Chứng nhận chưa có hiệu lực (ngày cấp ở tương lai).", "The certificate is not valid yet (issued in the future)."),
        ReasonCode.CwtTimeMissing => new("Chứng nhận không có ngày cấp hoặc ngày hết hạn.", "The certificate has no issue or expiry date."),
        ReasonCode.SchemaInvalid or ReasonCode.DccTypeAmbiguous => new("Nội dung chứng nhận không đúng chuẩn EU DCC.",
            "The certificate's content does not follow the EU DCC standard."),
        ReasonCode.ValueSetViolation => new("Chứng nhận có mã vắc xin, bệnh hoặc quốc gia không được công nhận.",
            "The certificate holds a vaccine, disease or country code that is not recognised."),
        ReasonCode.PolicyViolation => new("Vắc xin hoặc số mũi không đáp ứng quy định của Việt Nam.", "The vaccine or dose does not meet Viet Nam's rules."),
        ReasonCode.Revoked => new("Chứng nhận đã bị thu hồi.", "The certificate has been revoked."),
        ReasonCode.TrustListTooOld => new("Danh sách tin cậy đã quá cũ: hãy cập nhật rồi kiểm tra lại.", "The trust list is too old: update it and check again."),
        ReasonCode.TrustListExpired => new("Gói tin cậy đã hết hạn: hãy cập nhật rồi kiểm tra lại.", "The trust bundle has expired: update it and check again."),
        ReasonCode.FacilityCoSignatureInvalid => new("Chữ ký của cơ sở tiêm chủng không hợp lệ.", "The vaccination facility's signature is not valid."),
        ReasonCode.FacilityUnknown => new("Cơ sở tiêm chủng đã ký không được công nhận.", "The vaccination facility that signed it is not recognised."),
        ReasonCode.AdditionalCheckFailed => new("Một bước kiểm tra bổ sung không đạt.", "An additional check failed."),
        ReasonCode.InternalError => new("Lỗi khi kiểm tra, chưa có kết luận: hãy thử lại.", "An error occurred while checking, no decision: try again."),
        // 1xxx and 2xxx: the text is not a readable certificate at all.
        _ => new("Mã QR không phải là một chứng nhận đọc được (dữ liệu hỏng hoặc sai định dạng).",
            "The QR code is not a readable health certificate (damaged or wrong format)."),
    };

    private static IEnumerable<(BilingualText Label, BilingualText Value)> Rows(DecodedCertificate c, ValueSets? sets)
    {
        static BilingualText Same(string text) => new(text, text);
        if (c.Record is { } record)
        {
            foreach (var f in DisplayNames.Fields(record, DisplayNames.IcaoName(c.GetDcc()), sets))
                yield return (f.Label, f.Value);
        }
        else
        {
            var dcc = c.GetDcc();
            var name = $"{dcc["nam"]?["fn"]} {dcc["nam"]?["gn"]}".Trim();
            var icao = DisplayNames.IcaoName(dcc);
            yield return (new("Họ và tên", "Full name"), Same(icao is null ? name : $"{name}  ({icao})"));
            yield return (new("Ngày sinh", "Date of birth"), Same(dcc["dob"]?.ToString() ?? ""));
            yield return (new("Loại chứng nhận", "Certificate type"), c.Type switch
            {
                DccTypes.Test => new("xét nghiệm", "test"),
                DccTypes.Recovery => new("khỏi bệnh", "recovery"),
                _ => new("không rõ", "unclear"),
            });
        }
        yield return (new("Quốc gia cấp", "Issuing country"), c.Issuer is null ? Same("-") : DisplayNames.Country(c.Issuer, sets));
        yield return (new("Ngày cấp", "Issued"), Same(c.IssuedAt is { } iat ? FormatTime(iat) : "-"));
        yield return (new("Hết hạn", "Expires"), Same(c.ExpiresAt is { } exp ? FormatTime(exp) : "-"));
    }

    private static void Row(IAnsiConsole console, BilingualText label, BilingualText value, bool trusted)
    {
        var style = trusted ? "bold" : "grey";
        var prefix = trusted ? "  " : "? ";
        console.MarkupLine($"{prefix}{Markup.Escape(label.Vietnamese)} / {Markup.Escape(label.English)}: [{style}]{Markup.Escape(value.Both)}[/]");
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary><c>vaxcert verify --folder DIR</c>: every certificate file in a folder, one line each, then a summary.</summary>
internal static class VerifyFolder
{
    private static readonly string[] Extensions = [".png", ".txt", ".hc1"];

    public static int Run(DirectoryInfo folder, Verifier.CertificateVerifier verifier, TrustList trust, bool json, IAnsiConsole console)
    {
        if (!folder.Exists)
        {
            return CliError.Fail(console, $"folder {folder.FullName} not found", VerifyAction.Usage);
        }
        var files = folder.EnumerateFiles().Where(f => Extensions.Contains(f.Extension.ToLowerInvariant()))
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        int valid = 0, invalid = 0, indeterminate = 0, unreadable = 0;
        var entries = new JsonArray();
        foreach (var file in files)
        {
            var input = CertificateInput.Read(file.FullName);
            if (input.Text is null)
            {
                unreadable++;
                if (json) entries.Add(new JsonObject { ["file"] = file.Name, ["outcome"] = "Unreadable", ["problem"] = input.Problem });
                else console.MarkupLine($"[yellow]! KHÔNG ĐỌC ĐƯỢC / UNREADABLE[/]  {Markup.Escape(file.Name)}  {Markup.Escape(input.Problem ?? "")}");
                continue;
            }
            var result = verifier.Verify(input.Text);
            switch (result.Outcome)
            {
                case VerificationOutcome.Valid: valid++; break;
                case VerificationOutcome.Invalid: invalid++; break;
                default: indeterminate++; break;
            }
            if (json)
            {
                var answer = VerifyAction.ToJson(result, trust, verifier.Options.ValueSets);
                answer.Remove("trustList");
                answer["file"] = file.Name;
                entries.Add(answer);
            }
            else
            {
                var colour = BorderDeskView.Verdict(result.Outcome).Colour;
                console.MarkupLine($"[{colour}]{Markup.Escape(BorderDeskView.OneLine(file.Name, result))}[/]");
            }
        }
        if (json)
        {
            var summary = new JsonObject
            {
                ["folder"] = folder.FullName,
                ["files"] = entries,
                ["summary"] = new JsonObject { ["total"] = files.Count, ["valid"] = valid, ["invalid"] = invalid, ["indeterminate"] = indeterminate, ["unreadable"] = unreadable },
            };
            console.Profile.Out.Writer.WriteLine(summary.ToJsonString(CliJson.Indented));
        }
        else
        {
            console.WriteLine();
            console.MarkupLine($"[bold]Tổng / Total {files.Count}:[/] [green]{valid} hợp lệ / valid[/], [red]{invalid} không hợp lệ / invalid[/], " +
                               $"[yellow]{indeterminate} chưa xác định / no decision[/], [yellow]{unreadable} không đọc được / unreadable[/]");
        }
        if (invalid > 0) return VerifyAction.Invalid;
        return indeterminate > 0 || unreadable > 0 ? VerifyAction.Indeterminate : VerifyAction.Valid;
    }
}

/// <summary>
/// The <c>--revocation</c> and <c>--revocation-delta</c> files of <c>vaxcert verify</c>: opened with the SDK's
/// <see cref="RevocationListReader"/> against the DSCs of the trust list in use, deltas applied in order. A list that
/// cannot be used is the operator's input error (like an unreadable trust list), never silently ignored.
/// </summary>
internal static class RevocationListFiles
{
    /// <summary>The revocation check to add (none without --revocation); <paramref name="problem"/> says why a list was refused.</summary>
    public static IReadOnlyList<IAdditionalCheck> TryLoad(string? path, IReadOnlyList<string>? deltaPaths, TrustList trust,
        out RevocationListDocument? document, out string? problem)
    {
        document = null;
        problem = null;
        if (path is null) return [];
        var signers = trust.Signers.Select(s => s.Certificate).ToList();
        if (!TryRead(path, out var full, out problem)) return [];
        var deltas = new List<ReadOnlyMemory<byte>>();
        foreach (var deltaPath in deltaPaths ?? [])
        {
            if (!TryRead(deltaPath, out var delta, out problem)) return [];
            deltas.Add(delta);
        }
        document = RevocationListReader.TryOpenWithDeltas(full, deltas, signers, out var failure);
        if (document is null)
        {
            problem = $"revocation list refused ({failure}): {Describe(failure)}";
            return [];
        }
        return [new PartitionedRevocationCheck(document.ToPartitionedList())];
    }

    private static bool TryRead(string path, out ReadOnlyMemory<byte> bytes, out string? problem)
    {
        bytes = default;
        problem = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) { problem = $"revocation list {path} does not exist"; return false; }
            if (info.Length > RevocationListReader.MaxSignedBytes) { problem = $"revocation list {path} is larger than any list this verifier accepts"; return false; }
            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read revocation list {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>What each refusal means for the operator.</summary>
    public static string Describe(RevocationListFailure failure) => failure switch
    {
        RevocationListFailure.NotCoseSign1 => "the file is not a signed revocation list (COSE_Sign1)",
        RevocationListFailure.UnknownSigner => "it is not signed by a document signer of this trust list",
        RevocationListFailure.SignatureInvalid => "its signature does not verify: the file was changed or damaged",
        RevocationListFailure.UnsupportedFormat => "it is not a revocation list format this verifier reads",
        RevocationListFailure.PayloadInvalid => "its content is malformed",
        RevocationListFailure.DeltaGap => "a delta is missing between the list and this delta (or a delta was given as the full list)",
        RevocationListFailure.DeltaIncompatible => "the delta is from another issuer or partitioning: fetch a new full list",
        _ => failure.ToString(),
    };
}
