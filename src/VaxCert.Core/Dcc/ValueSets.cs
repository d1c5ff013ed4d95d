using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace VaxCert.Core.Dcc;

/// <summary>
/// The EU DCC value sets shipped inside VaxCert.Core (copies of ehn-dcc-valuesets release 2.12.0 under Data/valuesets, kept
/// identical to shared/eu-dcc/valuesets by a test). Loaded once from embedded resources and immutable afterwards.
/// </summary>
public sealed class ValueSets
{
    private static readonly string[] ValueSetFiles =
    [
        "disease-agent-targeted.json", "vaccine-prophylaxis.json", "vaccine-medicinal-product.json",
        "vaccine-mah-manf.json", "country-2-codes.json", "test-type.json", "test-result.json",
    ];

    private const string EncodingInstructionsFile = "vaccine-encoding-instructions.json";
    private const string DeprecatedSuffix = " (deprecated)";

    private static readonly Lazy<ValueSets> LazyDefault = new(LoadEmbedded);

    private readonly FrozenDictionary<string, ValueSet> _sets;
    private readonly FrozenDictionary<string, VaccineEncodingInstruction> _instructionsByProduct;

    private ValueSets(IEnumerable<ValueSet> sets, IEnumerable<VaccineEncodingInstruction> instructions)
    {
        _sets = sets.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
        var list = instructions.ToList();
        EncodingInstructions = list;
        _instructionsByProduct = list.ToFrozenDictionary(i => i.Product, StringComparer.Ordinal);
    }

    /// <summary>The shipped value sets.</summary>
    public static ValueSets Default => LazyDefault.Value;

    /// <summary>Names of the embedded resources, e.g. "VaxCert.Core.Data.country-2-codes.json" (for drift checks).</summary>
    public static IReadOnlyList<string> ResourceNames { get; } =
        ValueSetFiles.Append(EncodingInstructionsFile).Select(f => "VaxCert.Core.Data." + f).ToArray();

    /// <summary>All loaded value sets, by valueSetId.</summary>
    public IReadOnlyDictionary<string, ValueSet> Sets => _sets;

    /// <summary>Annex A rows in file order.</summary>
    public IReadOnlyList<VaccineEncodingInstruction> EncodingInstructions { get; }

    /// <summary>The value set with this id; throws for an unknown id (a programming error, see <see cref="ValueSetIds"/>).</summary>
    public ValueSet Get(string setId) =>
        _sets.TryGetValue(setId, out var set) ? set : throw new ArgumentException($"Unknown value set '{setId}'.", nameof(setId));

    /// <summary>True when <paramref name="code"/> is in value set <paramref name="setId"/>.</summary>
    public bool Contains(string setId, string? code) => Get(setId).Contains(code);

    /// <summary>The entry for <paramref name="code"/>, or null.</summary>
    public ValueSetEntry? Find(string setId, string? code) =>
        code is not null && Get(setId).Entries.TryGetValue(code, out var entry) ? entry : null;

    /// <summary>
    /// These value sets with some replaced or added at run time: each document is EU value-set JSON (valueSetId,
    /// valueSetDate, valueSetValues with display, active, system and optionally a Vietnamese "displayVi"); a set with an id
    /// already present replaces it. All or nothing: false, with <paramref name="problem"/>, when any document is malformed,
    /// and then nothing changes. Never throws for malformed JSON.
    /// </summary>
    public bool TryWith(IEnumerable<byte[]> valueSetJson, out ValueSets? updated, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(valueSetJson);
        updated = null;
        var sets = new Dictionary<string, ValueSet>(_sets, StringComparer.Ordinal);
        var index = 0;
        foreach (var json in valueSetJson)
        {
            index++;
            try
            {
                var set = ParseValueSet(json);
                sets[set.Id] = set;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                problem = $"value set #{index} is not EU value-set JSON: {e.Message}";
                return false;
            }
        }
        updated = new ValueSets(sets.Values, EncodingInstructions);
        problem = null;
        return true;
    }

    /// <summary>The English display name of <paramref name="code"/>, or null when it is not in the set.</summary>
    public string? DisplayName(string setId, string? code) => Find(setId, code)?.Display;

    /// <summary>True when the code is in the set and not deprecated.</summary>
    public bool IsActive(string setId, string? code) => Find(setId, code)?.Active == true;

    /// <summary>The Annex A row for product <paramref name="mp"/>, or null.</summary>
    public VaccineEncodingInstruction? FindInstruction(string? mp) =>
        mp is not null && _instructionsByProduct.TryGetValue(mp, out var row) ? row : null;

    /// <summary>Checks (mp, ma, vp) against Annex A. Products missing from Annex A cannot be checked.</summary>
    public CombinationCheck CheckCombination(string? mp, string? ma, string? vp)
    {
        var row = FindInstruction(mp);
        if (row is null)
            return CombinationCheck.ProductNotListed;
        if (!string.Equals(row.Manufacturer, ma, StringComparison.Ordinal))
            return CombinationCheck.ManufacturerMismatch;
        return vp is not null && row.VaccineTypes.Contains(vp) ? CombinationCheck.Consistent : CombinationCheck.VaccineTypeMismatch;
    }

    private static ValueSets LoadEmbedded()
    {
        var sets = ValueSetFiles.Select(f => ParseValueSet(ReadResource(f)));
        return new ValueSets(sets.ToList(), ParseInstructions(ReadResource(EncodingInstructionsFile)));
    }

    internal static byte[] ReadResource(string fileName)
    {
        var name = "VaxCert.Core.Data." + fileName;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing: the build is broken.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    internal static ValueSet ParseValueSet(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var entries = root.GetProperty("valueSetValues").EnumerateObject().Select(p => new ValueSetEntry(
            p.Name,
            p.Value.GetProperty("display").GetString() ?? "",
            p.Value.GetProperty("active").GetBoolean(),
            p.Value.TryGetProperty("system", out var system) ? system.GetString() ?? "" : "",
            p.Value.TryGetProperty("displayVi", out var vi) && vi.ValueKind == JsonValueKind.String ? vi.GetString() : null)).ToList();
        var id = root.GetProperty("valueSetId").GetString();
        if (string.IsNullOrEmpty(id)) throw new ArgumentException("valueSetId is empty");
        // Duplicate codes cannot be expressed in the frozen set; JsonDocument keeps both, so refuse them here.
        if (entries.Select(e => e.Code).Distinct(StringComparer.Ordinal).Count() != entries.Count)
            throw new ArgumentException($"value set {id} lists a code twice");
        return new ValueSet(id, root.GetProperty("valueSetDate").GetString() ?? "", entries);
    }

    internal static IReadOnlyList<VaccineEncodingInstruction> ParseInstructions(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("valueSetValues").EnumerateObject().Select(p =>
        {
            var product = p.Value.GetProperty("vaccine-code").GetString()!;
            // Deprecated rows spell the product "NVX-CoV2373 (deprecated)" while the mp value set uses "NVX-CoV2373".
            if (product.EndsWith(DeprecatedSuffix, StringComparison.Ordinal))
                product = product[..^DeprecatedSuffix.Length];
            return new VaccineEncodingInstruction(
                p.Name,
                product,
                p.Value.GetProperty("vaccine-manufacturer").GetString()!,
                p.Value.GetProperty("sct-codes").EnumerateArray().Select(c => c.GetString()!).ToArray(),
                p.Value.TryGetProperty("note", out var note) ? note.GetString() : null);
        }).ToList();
    }
}
