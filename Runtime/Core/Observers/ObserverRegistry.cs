using System.Collections.Concurrent;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Invocation;

namespace NexusOrleans.Runtime.Observers;

/// <summary>
/// Local objects that grains can call through observer references. Calls run on the thread pool, outside any grain's
/// context, so an observer's code never holds up the grain that called it, and is never mistaken for grain code.
/// The registry holds each object until its reference is deleted; a call to a deleted reference fails with
/// <see cref="ObserverNotFoundException"/>, which <see cref="ObserverManager{TObserver}"/> takes as "unsubscribe".
/// </summary>
internal sealed class ObserverRegistry
{
    private readonly ConcurrentDictionary<string, object> _observers = new(StringComparer.Ordinal);

    public int Count => _observers.Count;

    /// <summary>This process's cluster address, written into observer keys so other processes can call back; null outside a cluster.</summary>
    public SiloAddress? Host { get; set; }

    public GrainId Register(IGrainObserver observer)
    {
        var id = new GrainId(GrainType.Observer, ObserverKey.Create(Host));
        _observers[id.Key] = observer;
        return id;
    }

    public void Unregister(GrainId observerId) => _observers.TryRemove(observerId.Key, out _);

    public void Deliver(GrainId observerId, GrainRequest request)
    {
        if (!_observers.TryGetValue(observerId.Key, out var target))
        {
            request.Fail(new ObserverNotFoundException(observerId));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static call => Telemetry.CallTracing.Invoke(call.Request, call.Target, IgnoreCompletion.Instance),
            (Request: request, Target: target),
            preferLocal: false);
    }

    private sealed class IgnoreCompletion : IRequestCompletion
    {
        public static readonly IgnoreCompletion Instance = new();

        public void OnRequestCompleted(GrainRequest request)
        {
        }
    }
}
