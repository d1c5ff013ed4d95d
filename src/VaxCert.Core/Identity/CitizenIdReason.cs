namespace VaxCert.Core.Identity;

/// <summary>Which identity number a string is.</summary>
public enum CitizenIdKind
{
    /// <summary>Neither format.</summary>
    Unknown,
    /// <summary>Căn cước công dân / personal identification number: 12 digits with embedded province, century, sex and year.</summary>
    Cccd,
    /// <summary>Chứng minh nhân dân (old format): 9 digits, no embedded checks.</summary>
    Cmnd,
}

/// <summary>The holder's sex as recorded on the facility's row (the CCCD encodes it).</summary>
public enum Sex
{
    /// <summary>Nam.</summary>
    Male,
    /// <summary>Nữ.</summary>
    Female,
}

/// <summary>Why an identity number was rejected. Stable names: they appear in facility rejection reports.</summary>
public enum CitizenIdReason
{
    /// <summary>No number given.</summary>
    Empty,
    /// <summary>Not 12 digits (CCCD) or 9 digits (CMND).</summary>
    InvalidFormat,
    /// <summary>The first three digits are not one of the 63 province codes.</summary>
    UnknownProvince,
    /// <summary>The 4th digit gives the other sex than the row.</summary>
    SexMismatch,
    /// <summary>The 4th digit gives a different century of birth than the row's date of birth.</summary>
    CenturyMismatch,
    /// <summary>Digits 5-6 are not the last two digits of the row's year of birth.</summary>
    BirthYearMismatch,
}

/// <summary>One problem, explained for facility staff in Vietnamese and in English. Only the masked number appears.</summary>
public sealed record CitizenIdProblem(CitizenIdReason Reason, string MessageVi, string MessageEn);

/// <summary>Outcome of <see cref="CitizenIdValidator.Validate"/>.</summary>
/// <param name="Kind">The format recognised.</param>
/// <param name="Masked">The number with all but the last 3 digits replaced by '*', safe for logs and screens.</param>
/// <param name="Province">The birth-registration province for a CCCD with a known code.</param>
/// <param name="Problems">Every problem found; empty when valid.</param>
public sealed record CitizenIdResult(CitizenIdKind Kind, string Masked, Province? Province, IReadOnlyList<CitizenIdProblem> Problems)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>True when a problem of this kind was found.</summary>
    public bool Has(CitizenIdReason reason) => Problems.Any(p => p.Reason == reason);
}
