namespace VaxCert.Server.Security;

/// <summary>What kind of caller this is: a facility system, or a ministry operator or administrator.</summary>
public enum CallerRole
{
    /// <summary>A vaccination facility's system: issues, reads and (with canRevoke) revokes single certificates of its facilities.</summary>
    Facility,
    /// <summary>A ministry operator: additionally mass-revokes (RevokeFacility for its facilities; RevokeSigner with "*").</summary>
    Operator,
    /// <summary>A ministry administrator: everything an operator may do.</summary>
    Admin,
}

/// <summary>An authenticated caller and what it may do.</summary>
/// <param name="Name">Name for logs and rate limiting.</param>
/// <param name="Facilities">Facility codes whose records and certificates it may submit, read or revoke; "*" for any.</param>
/// <param name="CanRevoke">May revoke certificates (of its facilities).</param>
/// <param name="Role">Facility (default), Operator or Admin; mass operations need Operator or Admin.</param>
public sealed record Caller(string Name, IReadOnlySet<string> Facilities, bool CanRevoke, CallerRole Role = CallerRole.Facility)
{
    /// <summary>The wildcard facility entry.</summary>
    public const string AnyFacility = "*";

    /// <summary>The local operator on a loopback (or explicitly insecure) cleartext listener: everything is allowed.</summary>
    public static Caller LocalOperator { get; } = new("local-operator", new HashSet<string> { AnyFacility }, CanRevoke: true, CallerRole.Admin);

    /// <summary>True for the operator and admin roles: may run mass operations (RevokeFacility, RevokeSigner).</summary>
    public bool IsOperator => Role is CallerRole.Operator or CallerRole.Admin;

    /// <summary>True when this caller acts for every facility ("*").</summary>
    public bool ActsForAnyFacility => Facilities.Contains(AnyFacility);

    /// <summary>True when this caller may submit records of, or read and revoke certificates of, <paramref name="facilityCode"/>.</summary>
    public bool MayActFor(string? facilityCode) =>
        ActsForAnyFacility || (facilityCode is not null && Facilities.Contains(facilityCode));
}
