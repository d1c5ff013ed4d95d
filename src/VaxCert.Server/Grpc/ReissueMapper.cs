using Google.Protobuf.WellKnownTypes;
using VaxCert.Grpc.V1;
using VaxCert.Server.Issuance;
using Status = VaxCert.Server.Issuance.ReissueStatus;

namespace VaxCert.Server.Grpc;

/// <summary>Maps re-issue progress onto the proto messages.</summary>
internal static class ReissueMapper
{
    public static ReissueProgress Map(ReissueReport p, bool wantHc1)
    {
        var message = new ReissueProgress
        {
            Done = p.Done, Total = p.Total, Reissued = p.Reissued, AlreadyReissued = p.AlreadyReissued, Failed = p.Failed,
            RatePerSecond = p.RatePerSecond, EtaSeconds = p.Eta?.TotalSeconds ?? 0, Cursor = p.Cursor ?? "", Finished = p.Finished,
            AuditSeq = p.AuditSeq,
        };
        foreach (var item in p.Items)
            message.Results.Add(Map(item, wantHc1));
        return message;
    }

    private static ReissueResult Map(ReissueItem item, bool wantHc1)
    {
        var result = new ReissueResult
        {
            Uvci = item.Uvci,
            Status = item.Status switch
            {
                Status.Reissued => VaxCert.Grpc.V1.ReissueStatus.Reissued,
                Status.AlreadyReissued => VaxCert.Grpc.V1.ReissueStatus.AlreadyReissued,
                _ => VaxCert.Grpc.V1.ReissueStatus.Failed,
            },
            NewUvci = item.NewUvci ?? "", Generation = item.Generation, Reason = item.Reason ?? "", Message = item.Message ?? "",
        };
        if (item.Successor is { } s)
        {
            result.ExpiresAt = Timestamp.FromDateTimeOffset(s.ExpiresAt);
            if (wantHc1) result.Hc1 = s.Hc1;
        }
        return result;
    }
}
