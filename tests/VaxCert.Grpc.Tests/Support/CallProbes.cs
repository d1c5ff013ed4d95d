using System.Collections.Concurrent;

namespace VaxCert.Grpc.Tests.Support;

/// <summary>Lets a test observe, by tag, that a handler started and that it saw its cancellation token fire.</summary>
public sealed class CallProbes
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public void MarkStarted(string tag) => Source(_started, tag).TrySetResult();
    public void MarkCancelled(string tag) => Source(_cancelled, tag).TrySetResult();

    /// <summary>Completes when the handler tagged <paramref name="tag"/> observed cancellation. The 30 s guard only turns
    /// a hang into a failure; it is not a timing assertion.</summary>
    public Task Cancelled(string tag) => Source(_cancelled, tag).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public Task Started(string tag) => Source(_started, tag).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public bool WasCancelled(string tag) => _cancelled.TryGetValue(tag, out var s) && s.Task.IsCompleted;

    private static TaskCompletionSource Source(ConcurrentDictionary<string, TaskCompletionSource> map, string tag) =>
        map.GetOrAdd(tag, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
