using System.Collections.Concurrent;

namespace NexusOrleans.Runtime.Tests.Grains;

/// <summary>
/// Shared by test grains (a singleton in the silo's services) and the test: grains record what happened, tests wait for
/// it; gates let a test hold a grain inside a turn; activations register their context so a test can flush it.
/// </summary>
public sealed class Probe
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Signal)> _waiters = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, SynchronizationContext> _contexts = new();

    /// <summary>How many more activations of flaky grains should fail.</summary>
    public int FailActivations;

    /// <summary>When set, flaky grains wait in OnActivateAsync for gate "activate:{key}".</summary>
    public volatile bool HoldActivations;

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public void Record(string @event)
    {
        List<TaskCompletionSource> signals = [];
        lock (_lock)
        {
            _events.Add(@event);
            _waiters.RemoveAll(waiter =>
            {
                if (!waiter.Match(@event))
                {
                    return false;
                }

                signals.Add(waiter.Signal);
                return true;
            });
        }

        signals.ForEach(signal => signal.TrySetResult());
    }

    public int Count(string @event)
    {
        lock (_lock)
        {
            return _events.Count(e => e == @event);
        }
    }

    public bool Saw(string @event) => Count(@event) > 0;

    /// <summary>Completes once <paramref name="event"/> has been recorded (now or before).</summary>
    public Task WaitFor(string @event) => WaitFor(e => e == @event, @event);

    /// <summary>Completes once an event starting with <paramref name="prefix"/> has been recorded.</summary>
    public Task WaitForPrefix(string prefix) => WaitFor(e => e.StartsWith(prefix, StringComparison.Ordinal), prefix + "*");

    /// <summary>A task grains await; completes when the test opens the gate.</summary>
    public Task Gate(string name) => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Open(string name) => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Called by grains in OnActivateAsync: remembers the activation's context.</summary>
    public void RegisterContext(string key) => _contexts[key] = SynchronizationContext.Current
        ?? throw new InvalidOperationException("Grain code ran without its activation's context.");

    /// <summary>
    /// Completes once the activation of <paramref name="key"/> has processed everything sent to it before this call:
    /// its mailbox is first in, first out, so a marker posted now runs after every call already queued was dispatched.
    /// </summary>
    public Task Flush(string key)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _contexts[key].Post(static state => ((TaskCompletionSource)state!).TrySetResult(), flushed);
        return flushed.Task.WaitAsync(WaitLimit);
    }

    private Task WaitFor(Func<string, bool> match, string description)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_events.Any(match))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((match, signal));
        }

        return signal.Task.WaitAsync(WaitLimit).ContinueWith(
            task => task.IsFaulted
                ? throw new TimeoutException($"'{description}' was not recorded; events so far: {string.Join(", ", Events)}")
                : Task.CompletedTask,
            TaskScheduler.Default).Unwrap();
    }
}
