using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Cli.Commands;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// What every command shares (issue 14): --help lists exit codes and marks required options; a command-line mistake or
/// a refused start is one "error: ..." line with a typed exit code, never a stack trace; output to a pipe is not wrapped
/// at 80 columns; JSON lines keep '+' and Vietnamese letters readable; demo leaves the rest of out/ alone.
/// </summary>
public sealed class CliConventionsTests
{
    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No,
    });

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
            foreach (var found in Walk(sub, (path + " " + sub.Name).Trim()))
                yield return found;
    }

    [Fact]
    public void Every_command_help_lists_its_exit_codes_and_marks_required_options()
    {
        var root = CliApp.BuildRoot();
        var leaves = Walk(root, "").Where(c => c.Command.Subcommands.Count == 0).ToList();
        Assert.True(leaves.Count >= 15, $"only {leaves.Count} commands found");
        var requiredSeen = 0;
        foreach (var (path, command) in leaves)
        {
            var help = new StringWriter();
            var exit = root.Parse([.. path.Split(' '), "--help"]).Invoke(new InvocationConfiguration { Output = help });
            Assert.Equal(0, exit);
            var text = help.ToString();
            var flat = string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
            Assert.True(flat.Contains("Exit codes: 0 ", StringComparison.Ordinal), $"vaxcert {path} --help lists no exit codes:\n{text}");
            Assert.True(flat.Contains("64 command-line mistake", StringComparison.Ordinal), $"vaxcert {path} --help lacks the common codes");
            foreach (var option in command.Options.Where(o => o.Required))
            {
                requiredSeen++;
                var line = text.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(option.Name + " ", StringComparison.Ordinal));
                Assert.True(line?.Contains("(REQUIRED)") == true, $"vaxcert {path}: {option.Name} is required but not marked:\n{text}");
            }
        }
        Assert.True(requiredSeen >= 5, "the walk saw too few required options to mean anything");
    }

    private static string Cli() => ExternalTool.RequireFile("the vaxcert CLI build output", "Build tests/VaxCert.Cli.Tests (it copies the CLI).",
        Path.Combine(AppContext.BaseDirectory, "vaxcert"));

    [Fact]
    public void A_command_line_mistake_is_error_lines_on_stderr_and_exit_64()
    {
        var (exit, stdout, stderr) = ExternalTool.Run(Cli(), ["facility", "sign", "--input", "x.csv", "--bogus"]);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("error: Unrecognized command or argument '--bogus'.", lines);
        Assert.Contains("error: Option '--out' is required.", lines);
        Assert.Equal("(see: vaxcert facility sign --help)", lines[^1]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Serve_on_a_port_in_use_is_one_error_line_and_exit_2()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var dir = RepoPaths.NewTempDir("serve-port");
        var (exit, stdout, stderr) = ExternalTool.Run(Cli(),
            ["serve", "--dev", "--keys-dir", RepoPaths.KeysDev, "--listen", $"127.0.0.1:{port}", "--ledger", "sqlite:" + Path.Combine(dir, "ledger.db")],
            timeoutMs: 60_000);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening on", stdout);
        Assert.Equal([$"error: vaxcert serve refuses to start: cannot listen on 127.0.0.1:{port}: the address is already in use (is another server running?)"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("WARNING", StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public void Output_to_a_pipe_keeps_long_lines_whole()
    {
        // A path far beyond 80 columns: Spectre would wrap it when it cannot see a terminal.
        var deep = Path.Combine(RepoPaths.NewTempDir("pipe-width"), new string('a', 60), new string('b', 60), "keys");
        var (exit, stdout, _) = ExternalTool.Run(Cli(), ["pki", "init-dev", "--out", deep]);
        Assert.Equal(0, exit);
        Assert.Contains($"NOT FOR PRODUCTION dev PKI written to {deep}:", stdout.Split('\n').Select(l => l.TrimEnd('\r')));
        Assert.DoesNotContain("\u001b[", stdout); // no colour codes in a pipe
    }

    [Fact]
    public void Json_lines_keep_plus_signs_and_Vietnamese_letters_and_stay_valid_json()
    {
        var node = new JsonObject { ["record_id"] = "Nguyễn-Đức \"1\"\\", ["hc1"] = "HC1:6BF+70790T9WJWG.FKY*4GO0.O1CV2", ["ctl"] = "a\u0001b" };
        var line = CliJson.ToLine(node);
        Assert.Equal("{\"record_id\":\"Nguyễn-Đức \\\"1\\\"\\\\\",\"hc1\":\"HC1:6BF+70790T9WJWG.FKY*4GO0.O1CV2\",\"ctl\":\"a\\u0001b\"}", line);
        Assert.Equal(node.ToJsonString(), JsonNode.Parse(line)!.ToJsonString()); // same value back
    }

    [Fact]
    public void Issue_writes_readable_certificates_jsonl_and_reports_the_qr_version_at_the_chosen_level()
    {
        var dir = RepoPaths.NewTempDir("issue-ecc");
        var csv = Path.Combine(dir, "export.csv");
        File.WriteAllText(csv,
            "record_id,citizen_id,sex,family_name,given_name,date_of_birth,nationality,targeted_disease,total_doses,date_of_vaccination,dose_number,vaccine_type,vaccine_product,manufacturer\n" +
            "Lô-Đức-1,001187012345,Nữ,Nguyễn,Thị Minh Khai,1987-05-23,VN,,2,2021-08-20,2,1119349007,EU/1/20/1528,ORG-100030215\n");
        var keys = RepoPaths.KeysDev;
        var bundle = Path.Combine(dir, "bundle.jsonl");
        Assert.Equal(FacilitySign.AllSigned, FacilitySign.Run(csv, bundle, bundle + ".rejections.csv", "HN001",
            () => SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.FacilityCertificate("HN001")),
                Path.Combine(keys, DevPkiLayout.FacilityKey("HN001"))), Console(new StringWriter())));

        var summaries = new Dictionary<Issuing.Qr.QrErrorCorrection, string>();
        foreach (var level in new[] { Issuing.Qr.QrErrorCorrection.L, Issuing.Qr.QrErrorCorrection.H })
        {
            var outDir = Path.Combine(dir, "issued-" + level);
            var log = new StringWriter();
            Assert.Equal(IssueRun.AllIssued, IssueRun.Run(bundle, outDir, keys, png: true, svg: false,
                () => SoftwareCoseSigner.FromPemFiles(Path.Combine(keys, DevPkiLayout.DscEs256Certificate), Path.Combine(keys, DevPkiLayout.DscEs256Key)),
                Console(log), level));
            var line = File.ReadAllLines(Path.Combine(outDir, "certificates.jsonl")).Single();
            Assert.Contains("\"record_id\":\"Lô-Đức-1\"", line);
            Assert.DoesNotContain("\\u", line);
            var hc1 = JsonNode.Parse(line)!["hc1"]!.GetValue<string>();
            var expected = Issuing.Qr.QrRenderer.VersionFor(hc1, level);
            Assert.Contains($"QR codes: version {expected} at error-correction level {level}", log.ToString());
            summaries[level] = log.ToString();
        }
        // H holds less per module than L, so the same certificate needs a larger symbol: the option reaches the renderer.
        Assert.NotEqual(summaries[Issuing.Qr.QrErrorCorrection.L].Split('\n').Last(l => l.StartsWith("QR")),
            summaries[Issuing.Qr.QrErrorCorrection.H].Split('\n').Last(l => l.StartsWith("QR")));
    }

    [Fact]
    public async Task Demo_replaces_only_its_own_files_under_the_output_folder()
    {
        var outDir = Path.Combine(RepoPaths.NewTempDir("demo-out"), "out");
        var testResults = Path.Combine(outDir, "test-results", "VaxCert.Core.Tests.trx");
        Directory.CreateDirectory(Path.GetDirectoryName(testResults)!);
        File.WriteAllText(testResults, "<TestRun/>");
        var stale = Path.Combine(outDir, "HN001", "stale.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "from an earlier demo");

        var log = new StringWriter();
        var exit = await DemoRun.RunAsync(Path.Combine(RepoPaths.Root, "examples"), outDir, RepoPaths.KeysDev, Console(log), CancellationToken.None);

        Assert.True(exit == 0, log.ToString());
        Assert.Equal("<TestRun/>", File.ReadAllText(testResults));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(Path.Combine(outDir, "ledger.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "HN001", "qr"), "*.png"));
    }
}
