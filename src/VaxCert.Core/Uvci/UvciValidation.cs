namespace VaxCert.Core.Uvci;

/// <summary>Result of <see cref="UvciFormat.Validate"/>: the parts that could be read plus every error and warning.</summary>
/// <param name="Country">The country field (upper-cased), when the structure could be read.</param>
/// <param name="IssuerPart">The issuer-chosen part without check character (upper-cased), when readable.</param>
/// <param name="CheckCharacter">The check character as sent, if any.</param>
/// <param name="Canonical">The upper-case form with prefix and a correct check character, when there are no errors.</param>
/// <param name="Errors">Problems that make the UVCI unusable in the chosen mode.</param>
/// <param name="Warnings">Deviations tolerated in the chosen mode.</param>
public sealed record UvciValidation(
    string? Country,
    string? IssuerPart,
    char? CheckCharacter,
    string? Canonical,
    IReadOnlyList<UvciFinding> Errors,
    IReadOnlyList<UvciFinding> Warnings)
{
    /// <summary>True when there are no errors (warnings allowed).</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>True when an issue of this kind was found, as error or warning.</summary>
    public bool Has(UvciIssue issue) => Errors.Any(f => f.Issue == issue) || Warnings.Any(f => f.Issue == issue);
}
