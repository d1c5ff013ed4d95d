using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaxCert.Grpc.V1;
using VaxCert.Issuing.Qr;
using VaxCert.Server.Issuance;
using QrLevel = VaxCert.Issuing.Qr.QrErrorCorrection;

namespace VaxCert.Server.Grpc;

/// <summary>A served certificate as an <see cref="IssueResponse"/>, with the QR renderings the caller asked for.</summary>
internal static class IssueResponseMapper
{
    public static IssueResponse Map(ServedCertificate certificate, IssueOptions? options)
    {
        var level = LevelOf(options?.ErrorCorrection ?? VaxCert.Grpc.V1.QrErrorCorrection.Unspecified);
        var response = new IssueResponse
        {
            Uvci = certificate.Uvci,
            Hc1 = certificate.Hc1,
            IssuedAt = Timestamp.FromDateTimeOffset(certificate.IssuedAt),
            ExpiresAt = Timestamp.FromDateTimeOffset(certificate.ExpiresAt),
            SignerKid = ByteString.CopyFrom(certificate.SignerKid),
            AlreadyIssued = certificate.AlreadyIssued,
            Revoked = certificate.Revoked,
        };
        // Encoding a QR symbol costs milliseconds (far more than signing), so it happens only when an image is wanted,
        // and then once for the version and both images.
        if (options?.WantQrPng == true || options?.WantQrSvg == true)
        {
            var qr = QrRenderer.Render(certificate.Hc1, level, options.WantQrPng, options.WantQrSvg);
            response.QrVersion = qr.Version;
            if (qr.Png is { } png) response.QrPng = ByteString.CopyFrom(png);
            if (qr.Svg is { } svg) response.QrSvg = svg;
        }
        return response;
    }

    private static QrLevel LevelOf(VaxCert.Grpc.V1.QrErrorCorrection level) => level switch
    {
        VaxCert.Grpc.V1.QrErrorCorrection.L => QrLevel.L,
        VaxCert.Grpc.V1.QrErrorCorrection.M => QrLevel.M,
        VaxCert.Grpc.V1.QrErrorCorrection.H => QrLevel.H,
        _ => QrLevel.Q,
    };
}
