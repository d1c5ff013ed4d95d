using System.Globalization;
using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;

namespace VaxCert.Verifier.Checks;

/// <summary>
/// Viet Nam's issuance policy as a verification rule, for apps that enforce it: the certificate must be a vaccination
/// whose product is approved with its manufacturer and vaccine type, within the dose limits, not vaccinated before the
/// earliest plausible date.
/// </summary>
public sealed class PolicyCheck(IssuancePolicy policy)
{
    /// <summary>The policy applied.</summary>
    public IssuancePolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>True when the DCC meets the policy; otherwise <paramref name="error"/> says what breaks it.</summary>
    public bool Validate(JsonObject dcc, DccTypes type, out string? error)
    {
        error = null;
        if (type != DccTypes.Vaccination || dcc["v"] is not JsonArray { Count: 1 } v || v[0] is not JsonObject entry)
        {
            error = "only vaccination certificates are accepted";
            return false;
        }
        var mp = Text(entry, "mp");
        var vaccine = Policy.FindVaccine(mp);
        if (vaccine is null) error = $"product '{mp}' is not approved";
        else if (Text(entry, "ma") != vaccine.Manufacturer) error = $"manufacturer '{Text(entry, "ma")}' does not match {vaccine.Name}";
        else if (!vaccine.VaccineTypes.Contains(Text(entry, "vp") ?? "")) error = $"vaccine type '{Text(entry, "vp")}' does not match {vaccine.Name}";
        else if (!Int(entry, "dn", out var dn) || dn < 1 || dn > Policy.MaxDoseNumber) error = "dose number out of range";
        else if (!Int(entry, "sd", out var sd) || sd < 1 || sd > Policy.MaxSeriesDoses) error = "series doses out of range";
        else if (!Date(Text(entry, "dt"), out var dt) || dt < Policy.EarliestVaccinationDate) error = "vaccination date missing or too early";
        return error is null;
    }

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool Int(JsonObject o, string key, out long value)
    {
        value = 0;
        return o[key] is JsonValue v && v.TryGetValue(out value);
    }

    private static bool Date(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: >= 10 }
               && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
