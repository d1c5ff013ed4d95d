using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace VaxCert.Verifier.Trust;

/// <summary>
/// Which DCC types a signer certificate may sign, from its extended key usage (shared README §4.7): no EKU extension or an
/// empty EKU list allows all types; otherwise only the types whose DCC OID (official arc 1.3.6.1.4.1.1847.2021.1.x or the
/// typo arc 1.3.6.1.4.1.0.1847.2021.1.x) is listed. The extension is read raw with AsnReader, because an empty SEQUENCE
/// (vector CO15) is not valid RFC 5280 and strict decoders reject it.
/// </summary>
public static class KeyUsageReader
{
    private const string EkuExtensionOid = "2.5.29.37";
    private const string OfficialArc = "1.3.6.1.4.1.1847.2021.1.";
    private const string TypoArc = "1.3.6.1.4.1.0.1847.2021.1.";

    /// <summary>The allowed types; <see cref="DccTypes.None"/> (and false) when the extension cannot be parsed at all.</summary>
    public static bool TryRead(X509Certificate2 certificate, out DccTypes allowed)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != EkuExtensionOid) continue;
            return TryParse(extension.RawData, out allowed);
        }
        allowed = DccTypes.All;
        return true;
    }

    /// <summary>Parses the DER of an EKU extension value (SEQUENCE OF OBJECT IDENTIFIER).</summary>
    public static bool TryParse(ReadOnlySpan<byte> extensionValue, out DccTypes allowed)
    {
        allowed = DccTypes.None;
        try
        {
            var oids = new List<string>();
            var reader = new AsnReader(extensionValue.ToArray(), AsnEncodingRules.BER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (sequence.HasData)
                oids.Add(sequence.ReadObjectIdentifier());
            allowed = FromOids(oids);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The rule itself: empty list = all types; else the union of the DCC OIDs present (either arc).</summary>
    public static DccTypes FromOids(IReadOnlyCollection<string> oids)
    {
        if (oids.Count == 0) return DccTypes.All;
        var allowed = DccTypes.None;
        foreach (var oid in oids)
        {
            var suffix = oid.StartsWith(OfficialArc, StringComparison.Ordinal) ? oid[OfficialArc.Length..]
                : oid.StartsWith(TypoArc, StringComparison.Ordinal) ? oid[TypoArc.Length..] : null;
            allowed |= suffix switch
            {
                "1" => DccTypes.Test,
                "2" => DccTypes.Vaccination,
                "3" => DccTypes.Recovery,
                _ => DccTypes.None,
            };
        }
        return allowed;
    }
}
