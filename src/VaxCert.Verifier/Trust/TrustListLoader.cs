using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace VaxCert.Verifier.Trust;

/// <summary>
/// Reads trust lists from the usual sources: a folder of PEM/DER files, one PEM bundle, or the EU gateway trust-list JSON
/// (an array of {kid, country, certificateType, rawData, thumbprint, signature, timestamp}). Only certificateType "DSC"
/// entries are used. Source-level problems (missing file, malformed JSON) throw <see cref="TrustListException"/>; bad
/// entries are skipped and listed in <see cref="TrustList.Problems"/>.
/// </summary>
public static class TrustListLoader
{
    private static readonly string[] CertificateExtensions = [".pem", ".crt", ".cer", ".der"];

    /// <summary>
    /// Loads a folder, a JSON trust list or a PEM/DER file, chosen by what <paramref name="path"/> is. The issue time is
    /// <paramref name="issuedAt"/> or, when null, the last write time of the file (newest file for a folder).
    /// </summary>
    public static TrustList Load(string path, DateTimeOffset? issuedAt = null, IEnumerable<X509Certificate2>? cscaAnchors = null)
    {
        if (Directory.Exists(path)) return FromFolder(path, issuedAt, cscaAnchors);
        if (!File.Exists(path)) throw new TrustListException($"trust list '{path}' does not exist");
        var bytes = File.ReadAllBytes(path);
        var when = issuedAt ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path));
        return LooksLikeJson(bytes)
            ? FromGatewayJson(Encoding.UTF8.GetString(bytes), when, cscaAnchors)
            : TrustList.Create(ReadCertificates(bytes, Path.GetFileName(path)), when, cscaAnchors);
    }

    /// <summary>Every *.pem, *.crt, *.cer, *.der file in the folder (each may hold several PEM certificates).</summary>
    public static TrustList FromFolder(string folder, DateTimeOffset? issuedAt = null, IEnumerable<X509Certificate2>? cscaAnchors = null)
    {
        if (!Directory.Exists(folder)) throw new TrustListException($"trust folder '{folder}' does not exist");
        var files = Directory.EnumerateFiles(folder)
            .Where(f => CertificateExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        var candidates = files.SelectMany(f => ReadCertificates(File.ReadAllBytes(f), Path.GetFileName(f))).ToList();
        var when = issuedAt ?? (files.Count == 0 ? DateTimeOffset.MinValue
            : new DateTimeOffset(files.Max(File.GetLastWriteTimeUtc)));
        return TrustList.Create(candidates, when, cscaAnchors);
    }

    /// <summary>A PEM bundle (any number of CERTIFICATE blocks) as one trust list.</summary>
    public static TrustList FromPem(string pem, DateTimeOffset issuedAt, IEnumerable<X509Certificate2>? cscaAnchors = null)
        => TrustList.Create(ReadCertificates(Encoding.UTF8.GetBytes(pem), "PEM"), issuedAt, cscaAnchors);

    /// <summary>The EU gateway trust-list JSON shape.</summary>
    public static TrustList FromGatewayJson(string json, DateTimeOffset issuedAt, IEnumerable<X509Certificate2>? cscaAnchors = null)
    {
        var candidates = new List<TrustListCandidate>();
        var skipped = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new TrustListException("trust-list JSON must be an array of entries");
            var index = 0;
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                var source = $"entry #{index++}";
                if (entry.ValueKind != JsonValueKind.Object) { skipped.Add($"{source}: not an object"); continue; }
                var type = Text(entry, "certificateType");
                if (type is not null && !string.Equals(type, "DSC", StringComparison.OrdinalIgnoreCase))
                {
                    skipped.Add($"{source}: certificateType '{type}' is not DSC; skipped");
                    continue;
                }
                var raw = Base64(Text(entry, "rawData"));
                if (raw is null) { skipped.Add($"{source}: rawData missing or not base64"); continue; }
                candidates.Add(new TrustListCandidate(raw, Text(entry, "country"), source, Base64(Text(entry, "kid"))));
            }
        }
        catch (JsonException e)
        {
            throw new TrustListException("trust-list JSON is malformed: " + e.Message);
        }
        var list = TrustList.Create(candidates, issuedAt, cscaAnchors);
        return skipped.Count == 0 ? list : list.WithExtraProblems(skipped);
    }

    /// <summary>Certificates in a file: PEM blocks, or a single DER certificate.</summary>
    internal static IEnumerable<TrustListCandidate> ReadCertificates(byte[] bytes, string source)
    {
        var text = Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
            return [new TrustListCandidate(bytes, null, source)];
        var found = new List<TrustListCandidate>();
        var span = text.AsSpan();
        var index = 0;
        while (PemEncoding.TryFind(span, out var fields))
        {
            if (span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                if (Convert.TryFromBase64Chars(span[fields.Base64Data], der, out var written))
                    found.Add(new TrustListCandidate(der[..written], null, $"{source} block #{index}"));
            }
            index++;
            span = span[fields.Location.End.Value..];
        }
        return found;
    }

    private static bool LooksLikeJson(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) continue;
            return b is (byte)'[' or (byte)'{';
        }
        return false;
    }

    private static string? Text(JsonElement entry, string name)
        => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? Base64(string? text)
    {
        if (text is null) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return null; }
    }
}

/// <summary>The trust-list source itself could not be read (missing file, malformed JSON). Operator input, not attacker input.</summary>
public sealed class TrustListException(string message) : Exception(message);
