namespace VaxCert.Core.Uvci;

/// <summary>How strictly <see cref="UvciFormat.Validate"/> reads a UVCI.</summary>
public enum UvciMode
{
    /// <summary>
    /// For verifiers: lower case, a missing "URN:UVCI:" prefix and a missing or wrong check character are warnings, because
    /// real issuers send all of these and Annex 2 says the check character must not cause rejection. Bad characters,
    /// a broken structure and excessive length are still errors.
    /// </summary>
    Lenient,

    /// <summary>Annex 2 syntax exactly: upper case, prefix, version 01; the check character is optional but must be right.</summary>
    Annex2,

    /// <summary>What VaxCert issues: <see cref="Annex2"/> plus a mandatory, correct check character.</summary>
    VaxCert,
}
