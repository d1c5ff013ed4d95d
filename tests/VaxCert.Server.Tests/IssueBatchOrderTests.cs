using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaxCert.Grpc.V1;
using VaxCert.Server.Tests.Support;

namespace VaxCert.Server.Tests;

/// <summary>
/// IssueBatch signs several 256-record chunks at once (one per core plus one): its results must still arrive in request
/// order, one per record, with the refused records in their own places and the rest issued once each.
/// </summary>
public sealed class IssueBatchOrderTests
{
    [Fact]
    public async Task A_batch_of_several_chunks_streams_every_result_in_request_order_with_refusals_in_place()
    {
        const int records = 1_100; // four full chunks and a partial one
        int[] refusedAt = [3, 600, records - 1];
        var batch = Requests.Batch(40_000, records);
        foreach (var i in refusedAt)
            batch.Records[i].GivenName += " AN"; // changed after the facility signed it: refused, the batch goes on

        var log = new LineCollector();
        await using var server = await ServerHost.StartAsync(ServerHost.Settings(), logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(log));
        using var channel = ServerHost.Channel(server);
        using var call = new Issuer.IssuerClient(channel).IssueBatch(batch);
        var results = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(records, results.Count);
        for (var i = 0; i < records; i++)
        {
            Assert.Equal(i, results[i].Index);
            Assert.Equal(batch.Records[i].FacilityRecordId, results[i].FacilityRecordId);
            if (refusedAt.Contains(i))
                Assert.Equal("RECORD_CHANGED_AFTER_SIGNING", results[i].Refused?.Reason);
            else
                Assert.Equal(batch.Records[i].CertificateId, results[i].Issued?.Uvci);
        }
        Assert.Equal(records - refusedAt.Length, results.Where(r => r.Issued is { AlreadyIssued: false }).Select(r => r.Issued.Uvci).Distinct().Count());

        // Operators see one Information line for the batch, with its counts; each certificate's line is Debug only, so a
        // console logger at the default level is not asked for 1,100 lines.
        var information = log.Lines.Where(l => l.Level >= LogLevel.Information).Select(l => l.Text).ToList();
        Assert.Single(information, l => l.Contains($"{records - refusedAt.Length} issued, {refusedAt.Length} refused of {records} records"));
        Assert.DoesNotContain(information, l => l.StartsWith("Issued ", StringComparison.Ordinal));
        Assert.Equal(records - refusedAt.Length, log.Lines.Count(l => l.Level == LogLevel.Debug && l.Text.StartsWith("Issued ", StringComparison.Ordinal)));
    }

    private sealed class LineCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Enqueue((logLevel, formatter(state, exception)));
        public void Dispose() { }
    }
}
