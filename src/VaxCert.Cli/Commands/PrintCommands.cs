using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using VaxCert.Printing;

namespace VaxCert.Cli.Commands;

/// <summary>
/// <c>vaxcert print [HC1] [--certificates certificates.jsonl] --out DIR [--png] [--facility CODE]</c>: the printable bilingual
/// certificate. Writes DIR/&lt;uvci&gt;.pdf per person, DIR/batch-&lt;facility&gt;.pdf per facility (one page per person) and, with
/// --png, DIR/&lt;uvci&gt;.png for phones. Exit codes: 0 all printed, 1 usage error, 2 some certificates could not be read.
/// </summary>
public sealed class PrintCommands : ICliModule
{
    /// <inheritdoc />
    public void Register(RootCommand root)
    {
        var hc1 = new Argument<string?>("hc1") { Description = "One HC1 text to print (or use --certificates)", Arity = ArgumentArity.ZeroOrOne };
        var certificates = new Option<string?>("--certificates") { Description = "certificates.jsonl written by 'vaxcert issue' (one {\"hc1\": ...} per line)" };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var png = new Option<bool>("--png") { Description = "Also write a PNG per person for phones (QR with a caption)" };
        var facility = new Option<string?>("--facility") { Description = "Batch label; by default each facility (from the UVCI) gets its own batch PDF" };
        var command = new Command("print", "Print bilingual certificates: a PDF per person, a batch PDF per facility, PNGs for phones. " +
                                            "Exit codes: 0 all printed, 2 some certificates could not be read, 1 usage error." + ExitCodes.Common)
        {
            hc1, certificates, output, png, facility,
        };
        command.SetAction(parse => PrintRun.Run(new PrintRequest(parse.GetValue(hc1), parse.GetValue(certificates), parse.GetValue(output)!,
            parse.GetValue(png), parse.GetValue(facility)), AnsiConsole.Console));
        root.Add(command);
    }
}

/// <summary>The parsed command line of <c>vaxcert print</c>.</summary>
internal sealed record PrintRequest(string? Hc1, string? Certificates, string OutDir, bool Png, string? Facility);

/// <summary>The print action, separate from parsing so tests can drive it.</summary>
internal static class PrintRun
{
    public const int AllPrinted = 0, Usage = 1, SomeUnreadable = 2;

    public static int Run(PrintRequest request, IAnsiConsole console)
    {
        if ((request.Hc1 is null) == (request.Certificates is null))
            return Error(console, "give either one HC1 text or --certificates FILE");
        List<(string Source, string Hc1)> inputs;
        try
        {
            inputs = request.Hc1 is { } one ? [("argument", one)] : ReadJsonl(request.Certificates!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(console, $"cannot read {request.Certificates}: {e.Message}");
        }

        var printable = new List<PrintableCertificate>();
        var unreadable = 0;
        foreach (var (source, text) in inputs)
        {
            if (PrintableCertificate.TryRead(text, out var problem) is { } certificate) printable.Add(certificate);
            else
            {
                unreadable++;
                console.MarkupLine($"[red]not printed[/] {Markup.Escape(source)}: {Markup.Escape(problem ?? "")}");
            }
        }
        if (printable.Count == 0) return Error(console, "nothing to print");

        try
        {
            Directory.CreateDirectory(request.OutDir);
            foreach (var c in printable)
            {
                var name = IssueRun.QrFileName(c.Record.CertificateId);
                WriteAtomically(Path.Combine(request.OutDir, name + ".pdf"), CertificatePdf.Render(c));
                if (request.Png) WriteAtomically(Path.Combine(request.OutDir, name + ".png"), PhoneCard.RenderPng(c));
            }
            var batches = printable.GroupBy(c => request.Facility ?? FacilityOf(c.Record.CertificateId)).ToList();
            if (inputs.Count > 1)
                foreach (var batch in batches)
                    WriteAtomically(Path.Combine(request.OutDir, $"batch-{SafeName(batch.Key)}.pdf"), CertificatePdf.Render(batch.ToList(), batch.Key));
            console.MarkupLine($"printed [green]{printable.Count:N0}[/] certificate(s)" +
                               (inputs.Count > 1 ? $" in {batches.Count} facility batch(es)" : "") +
                               (unreadable > 0 ? $", [red]{unreadable:N0} unreadable[/]" : "") + $" → {Markup.Escape(request.OutDir)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(console, e.Message);
        }
        return unreadable == 0 ? AllPrinted : SomeUnreadable;
    }

    /// <summary>The facility code inside a VaxCert UVCI ("URN:UVCI:01:VN:79001/..." gives "79001"), else "certificates".</summary>
    internal static string FacilityOf(string uvci)
    {
        var parts = uvci.Split(':');
        if (parts.Length < 5 || !uvci.StartsWith("URN:UVCI:", StringComparison.Ordinal)) return "certificates";
        var issuer = parts[4];
        var slash = issuer.IndexOf('/');
        return slash > 0 ? issuer[..slash] : "certificates";
    }

    private static List<(string Source, string Hc1)> ReadJsonl(string path)
    {
        var list = new List<(string, string)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? hc1 = null;
            try { hc1 = (JsonNode.Parse(line) as JsonObject)?["hc1"]?.GetValue<string>(); }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { }
            list.Add(($"line {number}", hc1 ?? ""));
        }
        return list;
    }

    // A failure never leaves a half-written PDF behind under the final name.
    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private static string SafeName(string label) => string.Concat(label.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_'));

    private static int Error(IAnsiConsole console, string message)
    {
        return CliError.Fail(console, message, Usage);
    }
}
