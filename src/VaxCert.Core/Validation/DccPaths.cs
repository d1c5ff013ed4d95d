namespace VaxCert.Core.Validation;

/// <summary>Where each record field lives in the EU DCC, as used in <see cref="ValidationError.DccPath"/>.</summary>
public static class DccPaths
{
    public const string FamilyName = "nam.fn";
    public const string FamilyNameTransliterated = "nam.fnt";
    public const string GivenName = "nam.gn";
    public const string GivenNameTransliterated = "nam.gnt";
    public const string Name = "nam";
    public const string DateOfBirth = "dob";
    /// <summary>Nationality is not in the EU schema; VaxCert carries it as a private CWT claim.</summary>
    public const string Nationality = "cwt:nationality";
    public const string TargetedDisease = "v[0].tg";
    public const string VaccineType = "v[0].vp";
    public const string VaccineProduct = "v[0].mp";
    public const string Manufacturer = "v[0].ma";
    public const string DoseNumber = "v[0].dn";
    public const string TotalDoses = "v[0].sd";
    public const string DateOfVaccination = "v[0].dt";
    public const string CertificateId = "v[0].ci";
}
