using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;
using VaxCert.Core.Model;

namespace VaxCert.Verifier.Checks;

/// <summary>
/// The content stage, always run (it is what makes a Valid vaccination carry its record): every date the DCC holds is a
/// real calendar date or date-time, every dose number a whole number from 1 to 2^31−1, and a vaccination's 11-field record
/// can be read. The EU schemas leave dates to <c>format</c> (an annotation) and 1.3.3 sets no upper dose bound, so
/// without this stage "2021-02-30", "" or a dose of 2^63 would pass. Linear in the size of the DCC; never throws.
/// </summary>
internal static class ContentCheck
{
    /// <summary>True when the content is sound; <paramref name="record"/> is the vaccination record when the type is v.</summary>
    public static bool Validate(JsonObject dcc, DccTypes type, string? nationality, out VaccinationRecord? record)
    {
        record = null;
        if (dcc.TryGetPropertyValue("dob", out var dob) && !DccDates.IsBirthDate(TextOf(dob))) return false;
        if (!EveryEntry(dcc, "v", e => Date(e, "dt", required: true) && Dose(e, "dn") && Dose(e, "sd"))) return false;
        if (!EveryEntry(dcc, "t", e => DateTime(e, "sc", required: true) && DateTime(e, "dr", required: false))) return false;
        if (!EveryEntry(dcc, "r", e => Date(e, "fr", required: true) && Date(e, "df", required: true) && Date(e, "du", required: true)))
            return false;
        if (type != DccTypes.Vaccination) return true;
        record = DccMapper.TryReadRecord(dcc, nationality);
        return record is not null;
    }

    // Entries of a group; a group that is not an array of objects is the schema's to refuse, but never Valid content.
    private static bool EveryEntry(JsonObject dcc, string group, Func<JsonObject, bool> rule)
    {
        if (!dcc.TryGetPropertyValue(group, out var node)) return true;
        if (node is not JsonArray entries) return false;
        foreach (var entry in entries)
            if (entry is not JsonObject e || !rule(e)) return false;
        return true;
    }

    private static bool Date(JsonObject entry, string key, bool required)
        => entry.TryGetPropertyValue(key, out var node) ? DccDates.TryParseDate(TextOf(node), out _) : !required;

    private static bool DateTime(JsonObject entry, string key, bool required)
        => entry.TryGetPropertyValue(key, out var node) ? DccDates.IsDateTime(TextOf(node)) : !required;

    private static bool Dose(JsonObject entry, string key) => DccMapper.TryDose(entry, key, out _);

    private static string? TextOf(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
