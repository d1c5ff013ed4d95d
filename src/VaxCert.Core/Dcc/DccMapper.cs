using System.Formats.Cbor;
using System.Globalization;
using System.Text.Json.Nodes;
using VaxCert.Core.Model;

namespace VaxCert.Core.Dcc;

/// <summary>
/// Maps the 11-field record to the EU DCC (schema 1.3.x) and back. Writing is RFC 8949 §4.2.1 deterministic: the keys of
/// every map are written in bytewise order of their encodings (shorter text keys first, then lexicographic), which for
/// the fixed DCC key set is the order written below; tests check the output with <c>CborDeterminism</c>.
/// </summary>
public static class DccMapper
{
    /// <summary>Transliterated names (ICAO 9303) that go into fnt/gnt.</summary>
    public readonly record struct MachineReadableName(string FamilyName, string GivenName);

    /// <summary>
    /// The deterministic CBOR of the DCC for a validated record, exactly as <c>Hc1Issuer</c> embeds it under -260 → 1.
    /// A facility co-signs these bytes. Returns null when a name cannot be transliterated (validation reports that first).
    /// </summary>
    public static byte[]? EncodeDcc(VaccinationRecord record, IssuerSettings settings)
    {
        var family = Names.IcaoTransliterator.Transliterate(record.FamilyName);
        var given = Names.IcaoTransliterator.Transliterate(record.GivenName);
        if (!family.Success || !given.Success) return null;
        return EncodeDcc(record, settings, new MachineReadableName(family.Value, given.Value));
    }

    /// <summary>The deterministic CBOR of the DCC with already-transliterated names.</summary>
    public static byte[] EncodeDcc(VaccinationRecord record, IssuerSettings settings, MachineReadableName mrz)
    {
        var w = new CborWriter(CborConformanceMode.Lax, initialCapacity: 384);
        WriteDcc(w, record, settings, mrz);
        return w.Encode();
    }

    /// <summary>Writes the DCC map for a vaccination record.</summary>
    public static void WriteDcc(CborWriter w, VaccinationRecord r, IssuerSettings s, MachineReadableName mrz)
    {
        // Map key order: "v" (1 char) < "dob" < "nam" < "ver" (3 chars, lexicographic).
        w.WriteStartMap(4);
        w.WriteTextString("v");
        w.WriteStartArray(1);
        // v[0] keys, all two characters, lexicographic: ci co dn dt is ma mp sd tg vp.
        w.WriteStartMap(10);
        w.WriteTextString("ci"); w.WriteTextString(r.CertificateId);
        w.WriteTextString("co"); w.WriteTextString(s.Country);
        w.WriteTextString("dn"); w.WriteInt32(r.DoseNumber);
        w.WriteTextString("dt"); w.WriteTextString(FormatDate(r.DateOfVaccination));
        w.WriteTextString("is"); w.WriteTextString(s.IssuerName);
        w.WriteTextString("ma"); w.WriteTextString(r.Manufacturer);
        w.WriteTextString("mp"); w.WriteTextString(r.VaccineProduct);
        w.WriteTextString("sd"); w.WriteInt32(r.TotalDoses);
        w.WriteTextString("tg"); w.WriteTextString(r.TargetedDisease);
        w.WriteTextString("vp"); w.WriteTextString(r.VaccineType);
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteTextString("dob"); w.WriteTextString(r.DateOfBirth);
        w.WriteTextString("nam");
        WriteName(w, r, mrz);
        w.WriteTextString("ver"); w.WriteTextString(s.SchemaVersion);
        w.WriteEndMap();
    }

    // nam keys: "fn" < "gn" (2 chars) < "fnt" < "gnt" (3 chars). Empty parts are left out, as the schema allows.
    private static void WriteName(CborWriter w, VaccinationRecord r, MachineReadableName mrz)
    {
        var hasFamily = r.FamilyName.Length > 0;
        var hasGiven = r.GivenName.Length > 0;
        w.WriteStartMap((hasFamily ? 2 : 0) + (hasGiven ? 2 : 0));
        if (hasFamily) { w.WriteTextString("fn"); w.WriteTextString(r.FamilyName); }
        if (hasGiven) { w.WriteTextString("gn"); w.WriteTextString(r.GivenName); }
        if (hasFamily) { w.WriteTextString("fnt"); w.WriteTextString(mrz.FamilyName); }
        if (hasGiven) { w.WriteTextString("gnt"); w.WriteTextString(mrz.GivenName); }
        w.WriteEndMap();
    }

    /// <summary>The DCC as JSON (the form the EU test vectors and humans read).</summary>
    public static JsonObject ToJson(VaccinationRecord r, IssuerSettings s, MachineReadableName mrz)
    {
        var nam = new JsonObject();
        if (r.FamilyName.Length > 0) { nam["fn"] = r.FamilyName; nam["fnt"] = mrz.FamilyName; }
        if (r.GivenName.Length > 0) { nam["gn"] = r.GivenName; nam["gnt"] = mrz.GivenName; }
        return new JsonObject
        {
            ["ver"] = s.SchemaVersion,
            ["nam"] = nam,
            ["dob"] = r.DateOfBirth,
            ["v"] = new JsonArray(new JsonObject
            {
                ["tg"] = r.TargetedDisease,
                ["vp"] = r.VaccineType,
                ["mp"] = r.VaccineProduct,
                ["ma"] = r.Manufacturer,
                ["dn"] = r.DoseNumber,
                ["sd"] = r.TotalDoses,
                ["dt"] = FormatDate(r.DateOfVaccination),
                ["co"] = s.Country,
                ["is"] = s.IssuerName,
                ["ci"] = r.CertificateId,
            }),
        };
    }

    /// <summary>
    /// Reads the 11 fields back from a decoded DCC (vaccination type). Returns null when the DCC is not a vaccination
    /// certificate of one entry, a field has the wrong JSON type, dt or dob is not a real date (<see cref="DccDates"/>),
    /// or dn/sd is not a whole number from 1 to 2^31−1; never throws. A record is only ever made from content that means
    /// what it says.
    /// </summary>
    public static VaccinationRecord? TryReadRecord(JsonObject dcc, string? nationality)
    {
        if (dcc["v"] is not JsonArray { Count: 1 } v || v[0] is not JsonObject e) return null;
        var nam = dcc["nam"] as JsonObject;
        if (!DccDates.TryParseDate(Text(e, "dt"), out var dt)) return null;
        if (!TryDose(e, "dn", out var dn) || !TryDose(e, "sd", out var sd)) return null;
        if (Text(dcc, "dob") is not { } dob || !DccDates.IsBirthDate(dob)) return null;
        if (!OptionalText(nam, "fn", out var fn) || !OptionalText(nam, "gn", out var gn)) return null;
        if (Text(e, "tg") is not { } tg || Text(e, "vp") is not { } vp || Text(e, "mp") is not { } mp
            || Text(e, "ma") is not { } ma || Text(e, "ci") is not { } ci) return null;
        return new VaccinationRecord
        {
            FamilyName = fn,
            GivenName = gn,
            DateOfBirth = dob,
            Nationality = nationality ?? "",
            TargetedDisease = tg,
            TotalDoses = sd,
            DateOfVaccination = dt,
            DoseNumber = dn,
            VaccineType = vp,
            VaccineProduct = mp,
            Manufacturer = ma,
            CertificateId = ci,
        };
    }

    /// <summary>A dose number (dn, sd): a whole number from 1 to 2^31−1, written as an integer or an integral float.</summary>
    public static bool TryDose(JsonObject entry, string key, out int value)
    {
        value = 0;
        if (entry[key] is not JsonValue jv || jv.GetValueKind() != System.Text.Json.JsonValueKind.Number) return false;
        if (jv.TryGetValue(out System.Text.Json.JsonElement el)) return el.TryGetInt64(out var parsed) && InRange(parsed, out value);
        if (jv.TryGetValue(out long l)) return InRange(l, out value);
        if (jv.TryGetValue(out int i)) return InRange(i, out value);
        // A float counts only when it is exactly a whole number (1.0), never 0.9999999999999999 or 2^63.
        if (jv.TryGetValue(out double d)) return double.IsFinite(d) && d == Math.Floor(d) && d is >= 1 and <= int.MaxValue && InRange((long)d, out value);
        return false;
    }

    private static bool InRange(long l, out int value)
    {
        value = l is >= 1 and <= int.MaxValue ? (int)l : 0;
        return value != 0;
    }

    public static string FormatDate(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Text(JsonObject? o, string key)
        => o?[key] is JsonValue jv && jv.TryGetValue(out string? s) ? s : null;

    // Absent is empty; present must be text.
    private static bool OptionalText(JsonObject? o, string key, out string value)
    {
        value = "";
        if (o is null || !o.TryGetPropertyValue(key, out var node)) return true;
        if (node is not JsonValue jv || !jv.TryGetValue(out string? s)) return false;
        value = s;
        return true;
    }
}
