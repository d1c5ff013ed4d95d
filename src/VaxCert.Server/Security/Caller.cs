namespace VaxCert.Server.Security;

/// <summary>An authenticated caller and what it may do.</summary>
/// <param name="Name">Name for logs and rate limiting.</param>
/// <param name="Facilities">Facility codes whose records and certificates it may submit, read or revoke; "*" for any.</param>
/// <param name="CanRevoke">May revoke certificates (of its facilities).</param>
public sealed record Caller(string Name, IReadOnlySet<string> Facilities, bool CanRevoke)
{
    /// <summary>The wildcard facility entry.</summary>
    public const string AnyFacility = "*";

    /// <summary>The local operator on a loopback (or explicitly insecure) cleartext listener: everything is allowed.</summary>
    public static Caller LocalOperator { get; } = new("local-operator", new HashSet<string> { AnyFacility }, CanRevoke: true);

    /// <summary>True when this caller acts for every facility ("*").</summary>
    public bool ActsForAnyFacility => Facilities.Contains(AnyFacility);

    /// <summary>True when this caller may submit records of, or read and revoke certificates of, <paramref name="facilityCode"/>.</summary>
    public bool MayActFor(string? facilityCode) =>
        ActsForAnyFacility || (facilityCode is not null && Facilities.Contains(facilityCode));
}
