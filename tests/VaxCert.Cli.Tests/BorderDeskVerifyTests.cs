using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Encoding;
using VaxCert.Core.Issuance;
using VaxCert.Core.Pki;
using VaxCert.Issuing.Qr;
using VaxCert.Core.Signing;
using VaxCert.Printing;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary><c>vaxcert verify</c> as a border officer uses it: verdict first, plain reasons, untrusted data marked, images and folders.</summary>
public sealed class BorderDeskVerifyTests
{
    private static readonly string Dsc = Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate);
    private const string At = "2026-07-01T00:00:00Z";

    private static readonly Lazy<string> Khai = new(() => Issue(SampleRecords.Create(3) with
    {
        FamilyName = "Nguyễn", GivenName = "Thị Minh Khai", VaccineProduct = "EU/1/20/1528", Manufacturer = "ORG-100030215",
        VaccineType = "1119349007",
    }));

    internal static string Issue(Core.Model.VaccinationRecord record)
    {
        using var signer = SoftwareCoseSigner.FromPemFiles(Dsc, Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key));
        var result = Hc1Issuer.Create(signer, time: new FixedTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero))).Issue(record);
        Assert.True(result.Succeeded, result.Message);
        return result.Certificate!.Hc1;
    }

    /// <summary>The same certificate with one letter of the name changed inside the signed payload: a forgery.</summary>
    internal static string Forge(string hc1)
    {
        Assert.True(Base45.TryDecode(hc1.AsSpan(4), out var compressed, out _));
        Assert.True(Zlib.TryDecompress(compressed, out var cose, out _));
        var name = System.Text.Encoding.UTF8.GetBytes("Khai");
        var at = cose.AsSpan().IndexOf(name);
        Assert.True(at > 0);
        cose[at] = (byte)'X';
        return "HC1:" + Base45.Encode(Zlib.Compress(cose));
    }

    // Built the way Program.cs builds it for a pipe: no ANSI, no terminal (so Spectre would wrap at 80 columns by default).
    internal static IAnsiConsole PipeConsole(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
    });

    private static (int Exit, string Output) Verify(VerifyRequest request)
    {
        var w = new StringWriter();
        var exit = VerifyAction.Run(request, PipeConsole(w), TextReader.Null);
        return (exit, w.ToString());
    }

    private static VerifyRequest Text(string hc1, bool json = false) => new(hc1, null, Dsc, At, json, false, null);

    [Fact]
    public void A_forged_certificate_shows_the_verdict_first_the_reason_in_both_languages_and_its_data_marked_untrusted()
    {
        var (exit, output) = Verify(Text(Forge(Khai.Value)));
        Assert.Equal(VerifyAction.Invalid, exit);
        var verdict = output.IndexOf("KHÔNG HỢP LỆ  /  INVALID", StringComparison.Ordinal);
        var reasonVi = output.IndexOf("Chữ ký không khớp: chứng nhận đã bị sửa đổi hoặc giả mạo.", StringComparison.Ordinal);
        var reasonEn = output.IndexOf("The signature does not match: the certificate was altered or forged.", StringComparison.Ordinal);
        var untrusted = output.IndexOf("UNTRUSTED DATA", StringComparison.Ordinal);
        var name = output.IndexOf("Xhai", StringComparison.Ordinal);
        Assert.True(verdict >= 0 && reasonVi > verdict && reasonEn > reasonVi && untrusted > reasonEn && name > untrusted, output);
        Assert.Contains("không dùng để nhận dạng", output);
        // Every data row carries the untrusted marker, and nothing suggests a pass.
        Assert.All(output.Split('\n').Where(l => l.Contains(" / Full name:") || l.Contains(" / Vaccine product:")), l => Assert.StartsWith("? ", l));
        Assert.DoesNotContain("✓", output);
        Assert.DoesNotContain("Compare with the passport", output);
        Assert.DoesNotContain("Signed by", output);
    }

    [Fact]
    public void A_valid_certificate_shows_names_not_codes_the_ICAO_name_and_no_jargon()
    {
        var (exit, output) = Verify(Text(Khai.Value));
        Assert.Equal(VerifyAction.Valid, exit);
        Assert.StartsWith("╔", output.TrimStart());
        Assert.Contains("HỢP LỆ  /  VALID", output);
        Assert.Contains("Nguyễn Thị Minh Khai  (NGUYEN<<THI<MINH<KHAI)", output);
        Assert.Contains("Compare with the passport: NGUYEN<<THI<MINH<KHAI", output);
        Assert.Contains("Vaccine product: Comirnaty", output);
        Assert.Contains("Manufacturer: Pfizer/BioNTech", output);
        Assert.Contains("Disease targeted: COVID-19", output);
        foreach (var jargon in new[] { "EU/1/20/1528", "ORG-100030215", "840539006", "1119349007", "None", "VALID 0", "iat", "exp)", "kid " })
            Assert.DoesNotContain(jargon, output);
        Assert.DoesNotContain("UNTRUSTED", output);
    }

    [Fact]
    public void Output_to_a_pipe_keeps_long_lines_whole()
    {
        var (_, output) = Verify(Text(Khai.Value));
        var lines = output.Split('\n');
        // The signer line is ~150 characters: it must stay one line, not be cut at column 80.
        var signer = Assert.Single(lines, l => l.Contains("Ký bởi / Signed by:"));
        Assert.Contains("CN=VaxCert DEV DSC ES256", signer);
        Assert.True(signer.Length > 80);
        Assert.Single(lines, l => l.Contains("Mã chứng nhận / Certificate identifier (UVCI): URN:UVCI:01:VN:"));
    }

    [Fact]
    public void The_json_output_for_machines_keeps_its_fields_and_adds_display_names()
    {
        var (exit, output) = Verify(Text(Forge(Khai.Value), json: true));
        Assert.Equal(VerifyAction.Invalid, exit);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("Invalid", json["outcome"]!.GetValue<string>());
        Assert.Equal(3201, json["reason"]!.GetValue<int>());
        Assert.Equal("SignatureInvalid", json["reasonName"]!.GetValue<string>());
        Assert.NotNull(json["stages"]);
        Assert.Equal("EU/1/20/1528", json["certificate"]!["record"]!["VaccineProduct"]!.GetValue<string>());
        Assert.Equal("Comirnaty", json["certificate"]!["display"]![8]!["value"]!.GetValue<string>());
        Assert.Equal("NGUYEN<<THI<MINH<KHAI", json["certificate"]!["icaoName"]!.GetValue<string>()); // the forgery changed gn, not gnt
        Assert.Contains("altered or forged", json["plainReason"]!.GetValue<string>());
    }

    [Fact]
    public void Verifies_straight_from_a_PNG_the_phone_card_or_the_issuer_QR()
    {
        var dir = RepoPaths.NewTempDir("desk-png");
        var card = Path.Combine(dir, "card.png");
        File.WriteAllBytes(card, PhoneCard.RenderPng(PrintableCertificate.TryRead(Khai.Value, out _)!));
        var qr = Path.Combine(dir, "qr.png");
        File.WriteAllBytes(qr, QrRenderer.RenderPng(Khai.Value).Content);
        foreach (var file in new[] { card, qr })
        {
            var (exit, output) = Verify(new VerifyRequest(null, new FileInfo(file), Dsc, At, false, false, null));
            Assert.True(exit == VerifyAction.Valid, output);
            Assert.Contains("Nguyễn Thị Minh Khai", output);
        }
        // A PNG with no QR code is a usage error with a reason, not a stack trace.
        var blank = Path.Combine(dir, "blank.png");
        File.WriteAllBytes(blank, Printing.Imaging.PngCodec.EncodeGrey(new Printing.Imaging.GreyImage(200, 200)));
        var (blankExit, blankOutput) = Verify(new VerifyRequest(null, new FileInfo(blank), Dsc, At, false, false, null));
        Assert.Equal(VerifyAction.Usage, blankExit);
        Assert.Contains("error: blank.png: no QR code found in the image", blankOutput);
    }

    [Fact]
    public void A_folder_gets_one_line_per_file_and_a_summary_and_the_worst_answer_as_exit_code()
    {
        var dir = RepoPaths.NewTempDir("desk-folder");
        File.WriteAllBytes(Path.Combine(dir, "a-card.png"), PhoneCard.RenderPng(PrintableCertificate.TryRead(Khai.Value, out _)!));
        File.WriteAllText(Path.Combine(dir, "b-text.hc1"), Issue(SampleRecords.Create(4)) + "\n");
        File.WriteAllText(Path.Combine(dir, "ignored.csv"), "not looked at");
        var (allValid, validOutput) = Verify(new VerifyRequest(null, null, Dsc, At, false, false, null, Folder: new DirectoryInfo(dir)));
        Assert.Equal(VerifyAction.Valid, allValid);
        Assert.Contains("Total 2: 2 hợp lệ / valid, 0 không hợp lệ / invalid", validOutput);

        File.WriteAllBytes(Path.Combine(dir, "c-photo.png"), [1, 2, 3]); // named .png, not an image
        var (unreadable, unreadableOutput) = Verify(new VerifyRequest(null, null, Dsc, At, false, false, null, Folder: new DirectoryInfo(dir)));
        Assert.Equal(VerifyAction.Indeterminate, unreadable);
        Assert.Contains("UNREADABLE  c-photo.png", unreadableOutput);

        File.WriteAllText(Path.Combine(dir, "d-forged.txt"), Forge(Khai.Value));
        var (exit, output) = Verify(new VerifyRequest(null, null, Dsc, At, false, false, null, Folder: new DirectoryInfo(dir)));
        Assert.Equal(VerifyAction.Invalid, exit);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("✓ HỢP LỆ / VALID  a-card.png  Nguyễn Thị Minh Khai  Comirnaty"));
        Assert.Contains(lines, l => l.StartsWith("✗ KHÔNG HỢP LỆ / INVALID  d-forged.txt  Chữ ký không khớp"));
        Assert.Contains("Total 4: 2 hợp lệ / valid, 1 không hợp lệ / invalid, 0 chưa xác định / no decision, 1 không đọc được / unreadable", output);

        var (jsonExit, json) = Verify(new VerifyRequest(null, null, Dsc, At, true, false, null, Folder: new DirectoryInfo(dir)));
        Assert.Equal(VerifyAction.Invalid, jsonExit);
        var summary = JsonNode.Parse(json)!["summary"]!;
        Assert.Equal(4, summary["total"]!.GetValue<int>());
        Assert.Equal(1, summary["unreadable"]!.GetValue<int>());
    }

    [Fact]
    public void Help_lists_the_exit_codes_of_verify_and_print()
    {
        var root = new RootCommand();
        new VerifyCommands().Register(root);
        new PrintCommands().Register(root);
        foreach (var (command, expected) in new[] { ("verify", "0 valid, 2 invalid, 3 indeterminate"), ("print", "0 all printed, 2 some certificates") })
        {
            var help = new StringWriter();
            root.Parse([command, "--help"]).Invoke(new InvocationConfiguration { Output = help });
            Assert.Contains("Exit codes: " + expected, help.ToString().Replace("\n", " ").Replace("  ", " "));
        }
    }
}
