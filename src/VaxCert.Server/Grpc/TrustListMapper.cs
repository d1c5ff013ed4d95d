using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaxCert.Grpc.V1;
using VaxCert.Server.Issuance;

namespace VaxCert.Server.Grpc;

/// <summary>A <see cref="TrustListSnapshot"/> as the protobuf TrustList ("DSC", "FACILITY", "FACILITY_CA").</summary>
internal static class TrustListMapper
{
    public static TrustList Map(TrustListSnapshot snapshot, string country)
    {
        var list = new TrustList { GeneratedAt = Timestamp.FromDateTimeOffset(snapshot.GeneratedAt) };
        foreach (var entry in snapshot.Certificates)
        {
            var certificate = new TrustedCertificate
            {
                Kid = ByteString.CopyFrom(entry.KeyId),
                Der = ByteString.CopyFrom(entry.Certificate.RawData),
                Country = country,
                Type = entry.Type switch { TrustedKeyType.Dsc => "DSC", TrustedKeyType.FacilityCa => "FACILITY_CA", _ => "FACILITY" },
            };
            (entry.Type == TrustedKeyType.Dsc ? list.Signers : list.Facilities).Add(certificate);
        }
        list.RevokedUvciHashes.AddRange(snapshot.RevokedUvciHashes.Select(ByteString.CopyFrom));
        return list;
    }
}
