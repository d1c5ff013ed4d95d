using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Core.Pki;

/// <summary>
/// Where a facility certificate carries its facility code: the subject's serialNumber attribute (OID 2.5.4.5, X.520), as a
/// PrintableString of A-Z and 0-9, e.g. <c>CN=Bach Mai Hospital, serialNumber=HN001, O=..., C=VN</c>. The same code is the
/// facility segment of the UVCI, so the ministry can match certificate and record without a lookup table.
/// </summary>
public static class FacilityIdentity
{
    /// <summary>X.520 serialNumber.</summary>
    public const string FacilityCodeOid = "2.5.4.5";

    /// <summary>The facility code in <paramref name="certificate"/>'s subject, or null when there is none (or more than one).</summary>
    public static string? FacilityCodeOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? found = null;
        try
        {
            foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            {
                if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != FacilityCodeOid) continue;
                if (found is not null) return null; // ambiguous: refuse rather than guess
                found = rdn.GetSingleElementValue();
            }
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or AsnContentException)
        {
            return null;
        }
        return Uvci.UvciFormat.IsSegment(found) ? found : null;
    }

    /// <summary>The subject for a facility certificate: CN, serialNumber = facility code, O, C=VN.</summary>
    public static X500DistinguishedName Subject(string facilityCode, string facilityName, string organization)
    {
        if (!Uvci.UvciFormat.IsSegment(facilityCode))
            throw new ArgumentException("The facility code must hold only A-Z and 0-9.", nameof(facilityCode));
        var b = new X500DistinguishedNameBuilder();
        b.AddCountryOrRegion("VN");
        b.AddOrganizationName(organization);
        b.Add(FacilityCodeOid, facilityCode, UniversalTagNumber.PrintableString);
        b.AddCommonName(facilityName);
        return b.Build();
    }
}
