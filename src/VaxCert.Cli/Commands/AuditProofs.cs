using System.Security.Cryptography;
using Spectre.Console;
using VaxCert.Ledger;
using VaxCert.Ledger.Merkle;
using VaxCert.Server.Configuration;

namespace VaxCert.Cli.Commands;

/// <summary>
/// The Merkle log's proof commands (docs/ledger.md, "Merkle audit log"): <c>audit sign-head</c>, <c>audit prove</c>,
/// <c>audit consistency</c> write JSON from the ledger; <c>audit check-proof</c> checks such a file with only the log's
/// public key, no database. Exit codes: 0 done/valid, 1 not provable/invalid, 2 unreadable.
/// </summary>
internal static class AuditProofs
{
    public const int Ok = 0, NotProven = 1, Unreadable = 2;

    /// <summary>The ledger serve would use: --ledger, then the config file and VAXCERT_LEDGER, then the default.</summary>
    public static LedgerSpec Resolve(string? spec, string? configFile) => LedgerSpec.Parse(spec ?? ServerConfiguration.Load(configFile).Ledger);

    /// <summary>An EC key from PEM: a private key (PKCS#8 or SEC1) or a public key (SubjectPublicKeyInfo).</summary>
    /// <exception cref="CryptographicException">Not an EC key PEM.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ECDsa LoadKey(string file)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(file));
            return key;
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new CryptographicException($"{file} holds no EC key PEM ({ex.Message})", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static Task<int> SignHeadAsync(string? spec, string? configFile, string keyFile, IAnsiConsole console, CancellationToken ct)
        => WithLogAsync(spec, configFile, console, async log =>
        {
            using var key = LoadKey(keyFile);
            var head = await log.SignTreeHeadAsync(new EcdsaTreeHeadSigner(key), ct);
            console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(MerkleProofDocument.TreeHeadJson.From(head), CliJson.Indented));
            return Ok;
        });

    public static Task<int> ProveAsync(string? spec, string? configFile, string uvci, string? output, IAnsiConsole console, CancellationToken ct)
        => WithLogAsync(spec, configFile, console, async log =>
        {
            var head = await log.GetLatestTreeHeadAsync(ct);
            if (head is null)
                return CliError.Fail(console, "the log has no signed tree head yet: run 'vaxcert audit sign-head' (or serve with an audit log key)", NotProven);
            var proof = await log.GetInclusionProofAsync(uvci, head.TreeSize, ct);
            if (proof is null)
                return CliError.Fail(console, $"no Issued entry for {uvci} within the latest signed tree head ({head.TreeSize} entries)", NotProven);
            return Write(MerkleProofDocument.ForInclusion(proof, head), output, console);
        });

    public static Task<int> ConsistencyAsync(string? spec, string? configFile, long from, long? to, string? output, IAnsiConsole console,
        CancellationToken ct)
        => WithLogAsync(spec, configFile, console, async log =>
        {
            var second = to is { } size ? await log.GetTreeHeadAsync(size, ct) : await log.GetLatestTreeHeadAsync(ct);
            var first = await log.GetTreeHeadAsync(from, ct);
            if (first is null || second is null)
                return CliError.Fail(console, $"no signed tree head of {(first is null ? from : to)} entries ('vaxcert audit sign-head' signs one for the current size)",
                    NotProven);
            if (first.TreeSize > second.TreeSize)
                return CliError.Fail(console, $"--from ({first.TreeSize}) is after --to ({second.TreeSize})", NotProven);
            var proof = await log.GetConsistencyProofAsync(first.TreeSize, second.TreeSize, ct);
            return Write(MerkleProofDocument.ForConsistency(first, second, proof), output, console);
        });

    public static int CheckProof(string file, string keyFile, IAnsiConsole console)
    {
        string json;
        ECDsa key;
        try
        {
            json = File.ReadAllText(file);
            key = LoadKey(keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return CliError.Fail(console, ex.Message, Unreadable);
        }
        using (key)
        {
            var check = MerkleProofDocument.Check(json, key);
            switch (check.Verdict)
            {
                case ProofVerdict.Valid:
                    console.MarkupLine($"[green bold]VALID[/] {Markup.Escape(check.Detail)}");
                    return Ok;
                case ProofVerdict.Invalid:
                    console.MarkupLine($"[red bold]INVALID[/] {Markup.Escape(check.Detail)}");
                    return NotProven;
                default:
                    return CliError.Fail(console, check.Detail, Unreadable);
            }
        }
    }

    private static int Write(MerkleProofDocument document, string? output, IAnsiConsole console)
    {
        var json = document.ToJson();
        if (output is null)
        {
            console.Profile.Out.Writer.WriteLine(json);
            return Ok;
        }
        try
        {
            File.WriteAllText(output, json + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CliError.Fail(console, ex.Message, Unreadable);
        }
        console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]");
        return Ok;
    }

    /// <summary>Opens the existing ledger (never creates one) and maps its failures to exit 2.</summary>
    private static async Task<int> WithLogAsync(string? spec, string? configFile, IAnsiConsole console, Func<IMerkleAuditLog, Task<int>> body)
    {
        try
        {
            await using var ledger = await Resolve(spec, configFile).OpenAsync(LedgerOpenMode.ExistingOnly);
            return ledger is IMerkleAuditLog log ? await body(log) : CliError.Fail(console, "this ledger has no Merkle audit log", Unreadable);
        }
        catch (NotALedgerException ex)
        {
            return CliError.Fail(console, "not a VaxCert ledger: " + ex.Message, Unreadable);
        }
        catch (Exception ex) when (ex is LedgerException or ArgumentException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            return CliError.Fail(console, ex.Message, Unreadable);
        }
    }
}
