using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Model;

namespace VaxCert.Printing;

/// <summary>
/// What a printed certificate shows, read back from the signed HC1 itself (so paper and QR cannot disagree): the 11 fields,
/// the ICAO name, issuer, issue and expiry times.
/// </summary>
public sealed record PrintableCertificate
{
    public required string Hc1 { get; init; }
    public required VaccinationRecord Record { get; init; }
    /// <summary>ICAO 9303 form of the name, e.g. "NGUYEN&lt;&lt;THI&lt;MINH&lt;KHAI"; null when the DCC has none.</summary>
    public string? IcaoName { get; init; }
    /// <summary>Issuing authority as written in the DCC (v.is).</summary>
    public required string IssuerName { get; init; }
    /// <summary>Issuing country (CWT iss).</summary>
    public required string IssuerCountry { get; init; }
    /// <summary>Country of vaccination (v.co).</summary>
    public required string CountryOfVaccination { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The 11 fields with display names.</summary>
    public IReadOnlyList<DisplayField> Fields => DisplayNames.Fields(Record, IcaoName);

    /// <summary>
    /// Reads an HC1 text for printing. Never throws on the text: a text that is not a decodable vaccination certificate
    /// gives null and a reason in <paramref name="problem"/>. The signature is not checked here (the issuer just made it).
    /// </summary>
    public static PrintableCertificate? TryRead(string hc1, out string? problem)
    {
        var text = hc1.Trim();
        var decoded = Hc1Decoder.Decode(text);
        if (!decoded.Success || decoded.Dcc is not { } dcc || decoded.Claims is not { } claims)
        {
            problem = $"not a readable HC1 certificate: {decoded.Failure.Describe()}";
            return null;
        }
        var record = DccMapper.TryReadRecord(dcc, claims.Nationality);
        if (record is null)
        {
            problem = "the certificate holds no single vaccination entry";
            return null;
        }
        if (claims.IssuedAt is not { } iat || claims.ExpiresAt is not { } exp)
        {
            problem = "the certificate has no issue or expiry time";
            return null;
        }
        var entry = (dcc["v"] as JsonArray)?[0] as JsonObject;
        problem = null;
        return new PrintableCertificate
        {
            Hc1 = text,
            Record = record,
            IcaoName = DisplayNames.IcaoName(dcc),
            IssuerName = Text(entry, "is") ?? "",
            IssuerCountry = claims.Issuer ?? "",
            CountryOfVaccination = Text(entry, "co") ?? "",
            IssuedAt = iat,
            ExpiresAt = exp,
        };
    }

    private static string? Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
