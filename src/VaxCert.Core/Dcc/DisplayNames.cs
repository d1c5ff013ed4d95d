using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using VaxCert.Core.Model;

namespace VaxCert.Core.Dcc;

/// <summary>A text for people in Vietnamese and English. <see cref="Known"/> is false when a code had no name (the code is shown).</summary>
public readonly record struct BilingualText(string Vietnamese, string English, bool Known = true)
{
    /// <summary>"Vietnamese / English", or one of them when both are the same.</summary>
    public string Both => Vietnamese == English ? English : $"{Vietnamese} / {English}";
}

/// <summary>One of the 11 fields of Decision 5772 as a person reads it: number, bilingual label, display value.</summary>
public sealed record DisplayField(int Number, BilingualText Label, BilingualText Value);

/// <summary>
/// Names for people instead of value-set codes ("Comirnaty", not EU/1/20/1528), in Vietnamese and English, and the 11 fields
/// laid out for display. One place for the printed certificate and the border desk; no QR or PDF dependency. Short common
/// names are kept for the vaccines Viet Nam licensed; any other code falls back to the EU value set's English display.
/// Every lookup takes optional <see cref="ValueSets"/> (those of an offline trust bundle, updated at run time): a value
/// there with a Vietnamese "displayVi" wins over the names built in here, and a code only the newer sets know is named
/// from them instead of showing as unknown.
/// </summary>
public static class DisplayNames
{
    private static readonly FrozenDictionary<string, BilingualText> Diseases = new Dictionary<string, BilingualText>
    {
        [DccCodes.Covid19] = new("COVID-19", "COVID-19"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, BilingualText> VaccineTypes = new Dictionary<string, BilingualText>
    {
        ["1119349007"] = new("Vắc xin mRNA SARS-CoV-2", "SARS-CoV-2 mRNA vaccine"),
        ["1119305005"] = new("Vắc xin kháng nguyên SARS-CoV-2", "SARS-CoV-2 antigen vaccine"),
        ["1162643001"] = new("Vắc xin protein gai tái tổ hợp SARS-CoV-2", "SARS-CoV-2 recombinant spike protein vaccine"),
        ["1157024006"] = new("Vắc xin bất hoạt SARS-CoV-2", "Inactivated SARS-CoV-2 vaccine"),
        ["29061000087103"] = new("Vắc xin vectơ vi rút COVID-19", "COVID-19 viral vector vaccine"),
        ["28531000087107"] = new("Vắc xin COVID-19", "COVID-19 vaccine"),
        ["30141000087107"] = new("Vắc xin hạt giống vi rút SARS-CoV-2", "SARS-CoV-2 virus-like particle vaccine"),
        ["1187593009"] = new("Vắc xin DNA SARS-CoV-2", "SARS-CoV-2 DNA vaccine"),
        ["J07BX03"] = new("Vắc xin COVID-19", "COVID-19 vaccine"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Brand names are the same in both languages.
    private static readonly FrozenDictionary<string, string> Products = new Dictionary<string, string>
    {
        ["EU/1/20/1528"] = "Comirnaty",
        ["EU/1/20/1507"] = "Spikevax",
        ["EU/1/21/1529"] = "Vaxzevria",
        ["EU/1/20/1525"] = "Jcovden",
        ["Sputnik-V"] = "Sputnik V",
        ["BBIBP-CorV"] = "BBIBP-CorV (Vero Cell)",
        ["Hayat-Vax"] = "Hayat-Vax",
        ["Abdala"] = "Abdala",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, BilingualText> Manufacturers = new Dictionary<string, BilingualText>
    {
        ["ORG-100030215"] = new("Pfizer/BioNTech", "Pfizer/BioNTech"),
        ["ORG-100031184"] = new("Moderna", "Moderna"),
        ["ORG-100001699"] = new("AstraZeneca", "AstraZeneca"),
        ["ORG-100001417"] = new("Janssen (Johnson & Johnson)", "Janssen (Johnson & Johnson)"),
        ["ORG-100020693"] = new("Sinopharm", "Sinopharm"),
        ["Gamaleya-Research-Institute"] = new("Viện Gamaleya (Nga)", "Gamaleya Research Institute"),
        ["ORG-100023050"] = new("Gulf Pharmaceutical Industries (Julphar)", "Gulf Pharmaceutical Industries (Julphar)"),
        ["CIGB"] = new("CIGB (Cuba)", "CIGB (Cuba)"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Vietnamese names for the nationalities seen most at Vietnamese facilities and borders; others show the English name.
    private static readonly FrozenDictionary<string, string> CountriesVi = new Dictionary<string, string>
    {
        ["VN"] = "Việt Nam", ["KR"] = "Hàn Quốc", ["KP"] = "Triều Tiên", ["CN"] = "Trung Quốc", ["JP"] = "Nhật Bản",
        ["US"] = "Hoa Kỳ", ["GB"] = "Vương quốc Anh", ["FR"] = "Pháp", ["DE"] = "Đức", ["AU"] = "Úc", ["CA"] = "Ca-na-đa",
        ["RU"] = "Nga", ["TH"] = "Thái Lan", ["LA"] = "Lào", ["KH"] = "Campuchia", ["SG"] = "Xin-ga-po", ["MY"] = "Ma-lai-xi-a",
        ["ID"] = "In-đô-nê-xi-a", ["PH"] = "Phi-líp-pin", ["IN"] = "Ấn Độ", ["TW"] = "Đài Loan", ["HK"] = "Hồng Kông",
        ["IT"] = "Ý", ["ES"] = "Tây Ban Nha", ["NL"] = "Hà Lan", ["CU"] = "Cu-ba",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Shorter English names than ISO's where ISO's read awkwardly on a document.
    private static readonly FrozenDictionary<string, string> CountriesEn = new Dictionary<string, string>
    {
        ["KR"] = "Republic of Korea", ["US"] = "United States", ["GB"] = "United Kingdom", ["RU"] = "Russia", ["TW"] = "Taiwan",
        ["LA"] = "Laos", ["KP"] = "North Korea",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string DeprecatedSuffix = " (deprecated)";

    /// <summary>Disease or agent targeted (v.tg).</summary>
    public static BilingualText Disease(string? code, ValueSets? sets = null) => Lookup(Diseases, ValueSetIds.DiseaseAgentTargeted, code, sets);

    /// <summary>Vaccine or prophylaxis type (v.vp).</summary>
    public static BilingualText VaccineType(string? code, ValueSets? sets = null) => Lookup(VaccineTypes, ValueSetIds.VaccineProphylaxis, code, sets);

    /// <summary>Vaccine product (v.mp), e.g. "Comirnaty".</summary>
    public static BilingualText Product(string? code, ValueSets? sets = null) =>
        Bilingual(sets, ValueSetIds.VaccineMedicinalProduct, code) ?? (code is not null && Products.TryGetValue(code, out var name)
            ? new(name, name) : FromValueSet(ValueSetIds.VaccineMedicinalProduct, code, sets));

    /// <summary>Marketing-authorisation holder or manufacturer (v.ma), e.g. "Pfizer/BioNTech".</summary>
    public static BilingualText Manufacturer(string? code, ValueSets? sets = null) => Lookup(Manufacturers, ValueSetIds.VaccineManufacturer, code, sets);

    /// <summary>Country (nationality, v.co, iss), ISO 3166-1 alpha-2.</summary>
    public static BilingualText Country(string? code, ValueSets? sets = null)
    {
        if (Bilingual(sets, ValueSetIds.Country, code) is { } updated) return updated;
        var english = code is not null && CountriesEn.TryGetValue(code, out var en) ? new BilingualText(en, en) : FromValueSet(ValueSetIds.Country, code, sets);
        return code is not null && CountriesVi.TryGetValue(code, out var vi) ? english with { Vietnamese = vi } : english;
    }

    /// <summary>
    /// The name as ICAO 9303 writes it in a passport's machine-readable zone, e.g. "NGUYEN&lt;&lt;THI&lt;MINH&lt;KHAI", from the
    /// DCC's nam.fnt and nam.gnt; null when the DCC has neither.
    /// </summary>
    public static string? IcaoName(JsonObject? dcc)
    {
        var nam = dcc?["nam"] as JsonObject;
        var fnt = Text(nam, "fnt");
        var gnt = Text(nam, "gnt");
        if (string.IsNullOrEmpty(fnt) && string.IsNullOrEmpty(gnt)) return null;
        return string.IsNullOrEmpty(gnt) ? fnt : $"{fnt}<<{gnt}";
    }

    /// <summary>The 11 fields of a vaccination record, numbered as in Decision 5772, with names instead of codes.</summary>
    public static IReadOnlyList<DisplayField> Fields(VaccinationRecord record, string? icaoName, ValueSets? sets = null)
    {
        static BilingualText Same(string text) => new(text, text);
        var name = icaoName is null ? record.FullName : $"{record.FullName}  ({icaoName})";
        return
        [
            new(1, new("Họ và tên", "Full name"), Same(name)),
            new(2, new("Ngày sinh", "Date of birth"), Same(record.DateOfBirth)),
            new(3, new("Quốc tịch", "Nationality"), Country(record.Nationality, sets)),
            new(4, new("Bệnh được phòng", "Disease targeted"), Disease(record.TargetedDisease, sets)),
            new(5, new("Tổng số mũi", "Doses in series"), Same(record.TotalDoses.ToString(CultureInfo.InvariantCulture))),
            new(6, new("Ngày tiêm", "Date of vaccination"), Same(DccMapper.FormatDate(record.DateOfVaccination))),
            new(7, new("Mũi thứ", "Dose number"), Same(record.DoseNumber.ToString(CultureInfo.InvariantCulture))),
            new(8, new("Loại vắc xin", "Vaccine type"), VaccineType(record.VaccineType, sets)),
            new(9, new("Tên vắc xin", "Vaccine product"), Product(record.VaccineProduct, sets)),
            new(10, new("Nhà sản xuất", "Manufacturer"), Manufacturer(record.Manufacturer, sets)),
            new(11, new("Mã chứng nhận", "Certificate identifier (UVCI)"), Same(record.CertificateId)),
        ];
    }

    private static BilingualText Lookup(FrozenDictionary<string, BilingualText> names, string setId, string? code, ValueSets? sets) =>
        Bilingual(sets, setId, code) ?? (code is not null && names.TryGetValue(code, out var name) ? name : FromValueSet(setId, code, sets));

    // A run-time value set that names the code in Vietnamese too.
    private static BilingualText? Bilingual(ValueSets? sets, string setId, string? code)
    {
        if (sets is null || code is null || !sets.Sets.ContainsKey(setId) || sets.Find(setId, code) is not { DisplayVi: { Length: > 0 } vi } entry)
            return null;
        return new BilingualText(vi, StripDeprecated(entry.Display));
    }

    private static string StripDeprecated(string display) =>
        display.EndsWith(DeprecatedSuffix, StringComparison.Ordinal) ? display[..^DeprecatedSuffix.Length] : display;

    private static BilingualText FromValueSet(string setId, string? code, ValueSets? sets)
    {
        if (string.IsNullOrEmpty(code)) return new("(trống)", "(empty)", Known: false);
        var source = sets is not null && sets.Sets.ContainsKey(setId) ? sets : ValueSets.Default;
        var display = source.DisplayName(setId, code);
        if (display is null) return new($"mã không rõ {code}", $"unknown code {code}", Known: false);
        if (display.EndsWith(DeprecatedSuffix, StringComparison.Ordinal)) display = display[..^DeprecatedSuffix.Length];
        return new(display, display);
    }

    private static string? Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
