using System.Data.Common;
using Grpc.Core;
using VaxCert.Grpc.Errors;
using VaxCert.Ledger;

namespace VaxCert.Server.Grpc;

/// <summary>Ledger failures are UNAVAILABLE (retry later); their text stays in the server log.</summary>
internal sealed class LedgerFailureStatusMap : IExceptionStatusMap
{
    public RpcException? TryMap(Exception exception) =>
        exception is LedgerException or DbException or TimeoutException
            ? GrpcErrors.Create(StatusCode.Unavailable, "the ledger is unavailable; retry later", "LEDGER_UNAVAILABLE")
            : null;
}
