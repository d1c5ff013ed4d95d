using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaxCert.Core.Qr;
using VaxCert.Grpc.V1;
using VaxCert.Server.Issuance;
using QrLevel = VaxCert.Core.Qr.QrErrorCorrection;

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
            QrVersion = QrRenderer.VersionFor(certificate.Hc1, level),
            AlreadyIssued = certificate.AlreadyIssued,
        };
        if (options?.WantQrPng == true)
            response.QrPng = ByteString.CopyFrom(QrRenderer.RenderPng(certificate.Hc1, level).Content);
        if (options?.WantQrSvg == true)
            response.QrSvg = System.Text.Encoding.UTF8.GetString(QrRenderer.RenderSvg(certificate.Hc1, level).Content);
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
