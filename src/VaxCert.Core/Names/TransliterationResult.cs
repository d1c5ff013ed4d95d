namespace VaxCert.Core.Names;

/// <summary>Why a name could not be turned into its ICAO 9303 machine-readable form.</summary>
public enum TransliterationFailure
{
    /// <summary>The name was transliterated.</summary>
    None,
    /// <summary>The name holds letters or symbols with no Latin A-Z equivalent (see <see cref="TransliterationResult.Unmappable"/>).</summary>
    UnmappableCharacters,
    /// <summary>The machine-readable form is longer than <see cref="IcaoTransliterator.MaxLength"/> characters.</summary>
    TooLong,
}

/// <summary>
/// Outcome of <see cref="IcaoTransliterator.Transliterate"/>. <see cref="Value"/> always holds the best-effort form
/// (unmappable characters left out, never truncated) so callers can show it; only a successful one may be issued.
/// </summary>
/// <param name="Value">Upper-case A-Z and '&lt;' only.</param>
/// <param name="Failure">What went wrong, or <see cref="TransliterationFailure.None"/>.</param>
/// <param name="Unmappable">Distinct characters that could not be mapped, as Unicode scalar values, in order of first appearance.</param>
public sealed record TransliterationResult(string Value, TransliterationFailure Failure, IReadOnlyList<System.Text.Rune> Unmappable)
{
    /// <summary>True when <see cref="Value"/> may go into nam.fnt / nam.gnt.</summary>
    public bool Success => Failure == TransliterationFailure.None;

    /// <summary>The unmappable characters as "U+XXXX" codes: safe to log (no personal text beyond single code points).</summary>
    public string DescribeUnmappable() => string.Join(", ", Unmappable.Select(r => $"U+{r.Value:X4}"));
}
