using System.Collections.Frozen;

namespace VaxCert.Core.Dcc;

/// <summary>One code of an EU value set.</summary>
/// <param name="Code">The code as it appears in the DCC.</param>
/// <param name="Display">English display name.</param>
/// <param name="Active">False for codes deprecated for new certificates (verifiers still accept them).</param>
/// <param name="System">The code system URI.</param>
/// <param name="DisplayVi">Vietnamese display name when the value-set JSON carries one ("displayVi", a VaxCert addition
/// that EU tools ignore); null otherwise.</param>
public sealed record ValueSetEntry(string Code, string Display, bool Active, string System, string? DisplayVi = null);

/// <summary>One EU value set: id, date and its codes (case-sensitive, as the DCC compares them).</summary>
public sealed class ValueSet
{
    internal ValueSet(string id, string date, IEnumerable<ValueSetEntry> entries)
    {
        Id = id;
        Date = date;
        Entries = entries.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);
    }

    /// <summary>The valueSetId, e.g. "vaccines-covid-19-names".</summary>
    public string Id { get; }

    /// <summary>The valueSetDate, e.g. "2022-11-30".</summary>
    public string Date { get; }

    /// <summary>All codes.</summary>
    public IReadOnlyDictionary<string, ValueSetEntry> Entries { get; }

    /// <summary>True when <paramref name="code"/> is in the set (active or not).</summary>
    public bool Contains(string? code) => code is not null && Entries.ContainsKey(code);
}

/// <summary>
/// One row of vaccine-encoding-instructions.json (Annex A): the manufacturer and vaccine types that go with a product.
/// </summary>
/// <param name="Name">The row's key, e.g. "Comirnaty".</param>
/// <param name="Product">The mp code (a " (deprecated)" suffix in the file is removed so it matches the value set).</param>
/// <param name="Manufacturer">The ma code.</param>
/// <param name="VaccineTypes">The vp codes allowed with this product.</param>
/// <param name="Note">The file's note, if any.</param>
public sealed record VaccineEncodingInstruction(string Name, string Product, string Manufacturer,
    IReadOnlyList<string> VaccineTypes, string? Note);

/// <summary>How an (mp, ma, vp) triple compares with the encoding instructions.</summary>
public enum CombinationCheck
{
    /// <summary>The product is listed and the manufacturer and type match.</summary>
    Consistent,
    /// <summary>The product is not in the encoding instructions, so nothing can be checked.</summary>
    ProductNotListed,
    /// <summary>The product is listed with a different manufacturer.</summary>
    ManufacturerMismatch,
    /// <summary>The product is listed but not with this vaccine type.</summary>
    VaccineTypeMismatch,
}
