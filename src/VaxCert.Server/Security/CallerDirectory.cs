using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Server.Configuration;

namespace VaxCert.Server.Security;

/// <summary>How a call's identity was resolved.</summary>
public enum CallerResolution
{
    /// <summary>A known caller.</summary>
    Known,
    /// <summary>No credentials where they are required (UNAUTHENTICATED).</summary>
    Unauthenticated,
    /// <summary>A client certificate the TLS layer accepted but no configured caller matches (PERMISSION_DENIED).</summary>
    UnknownCertificate,
}

/// <summary>
/// Maps a call's client certificate to a configured caller (by SHA-256 thumbprint, else subject CN). The TLS layer has
/// already refused certificates that do not chain to the client CA. Calls without a certificate are the local operator
/// only on a cleartext listener (loopback, or non-loopback with --insecure-listen).
/// </summary>
public sealed class CallerDirectory
{
    private readonly Dictionary<string, Caller> _byThumbprint = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Caller> _byCn = new(StringComparer.Ordinal);
    private readonly bool _cleartext;

    /// <param name="callers">Configured callers.</param>
    /// <param name="cleartext">The listener is cleartext (no TLS): certificate-less calls are the local operator.</param>
    public CallerDirectory(IEnumerable<CallerSettings> callers, bool cleartext)
    {
        _cleartext = cleartext;
        foreach (var c in callers)
        {
            if (string.IsNullOrWhiteSpace(c.Name))
                throw new ArgumentException("every caller needs a name");
            if (string.IsNullOrEmpty(c.Thumbprint) && string.IsNullOrEmpty(c.SubjectCn))
                throw new ArgumentException($"caller '{c.Name}' needs a subjectCn or a thumbprint");
            var role = string.IsNullOrEmpty(c.Role) ? CallerRole.Facility
                : c.Role.All(char.IsAsciiLetter) && Enum.TryParse<CallerRole>(c.Role, ignoreCase: true, out var parsed) ? parsed
                : throw new ArgumentException($"caller '{c.Name}' has role '{c.Role}'; use facility, operator or admin");
            var caller = new Caller(c.Name, new HashSet<string>(c.Facilities, StringComparer.Ordinal), c.CanRevoke, role);
            if (!string.IsNullOrEmpty(c.Thumbprint))
                _byThumbprint[c.Thumbprint.Replace(":", "", StringComparison.Ordinal)] = caller;
            else
                _byCn[c.SubjectCn!] = caller;
        }
    }

    /// <summary>Resolves the caller of a call that presented <paramref name="certificate"/> (null when none).</summary>
    public (CallerResolution Resolution, Caller? Caller) Resolve(X509Certificate2? certificate)
    {
        if (certificate is null)
            return _cleartext ? (CallerResolution.Known, Caller.LocalOperator) : (CallerResolution.Unauthenticated, null);
        var thumbprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_byThumbprint.TryGetValue(thumbprint, out var byThumbprint))
            return (CallerResolution.Known, byThumbprint);
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return _byCn.TryGetValue(cn, out var byCn) ? (CallerResolution.Known, byCn) : (CallerResolution.UnknownCertificate, null);
    }
}
