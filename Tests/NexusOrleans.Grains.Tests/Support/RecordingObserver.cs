using System.Collections.Concurrent;
using NexusOrleans.Grains.Inbox;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>An inbox observer that keeps what it was pushed, and lets a test wait for a given envelope without sleeping.</summary>
public sealed class RecordingObserver(Func<InboxEnvelope, Task>? onDeliver = null) : IInboxObserver
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<InboxEnvelope> _received = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public IReadOnlyList<InboxEnvelope> Received => [.. _received];

    public async Task Deliver(InboxEnvelope envelope)
    {
        if (onDeliver is not null)
        {
            await onDeliver(envelope);
        }

        _received.Enqueue(envelope);
        Waiter(envelope.Id).TrySetResult();
    }

    /// <summary>Completes once an envelope with this id was delivered (now or before).</summary>
    public Task WaitFor(string id) => Waiter(id).Task.WaitAsync(WaitLimit, TestContext.Current.CancellationToken);

    private TaskCompletionSource Waiter(string id)
        => _waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
