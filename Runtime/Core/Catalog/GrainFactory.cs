using System.Collections.Concurrent;
using NexusOrleans.Runtime.Invocation;
using NexusOrleans.Runtime.Observers;

namespace NexusOrleans.Runtime.Catalog;

/// <summary>Hands out proxies addressed to grains and to local observer objects.</summary>
/// <remarks>The sink is the silo's catalog, or a cluster client's forwarding sink in a process hosting no grains.</remarks>
internal sealed class GrainFactory(IGrainCallSink catalog, GrainTypeRegistry types, ObserverRegistry observers) : IGrainFactory
{
    private readonly ConcurrentDictionary<Type, GrainType> _grainTypes = new();

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrain
    {
        if (!_grainTypes.TryGetValue(typeof(TGrainInterface), out var grainType))
        {
            grainType = _grainTypes.GetOrAdd(typeof(TGrainInterface), types.GetGrainTypeFor(typeof(TGrainInterface)));
        }

        return ProxyFactory.Create<TGrainInterface>(catalog, new GrainId(grainType, key));
    }

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable
        => ProxyFactory.Create<TGrainInterface>(catalog, grainId);

    public TObserver CreateObjectReference<TObserver>(IGrainObserver observer)
        where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer is not TObserver)
        {
            throw new ArgumentException($"{observer.GetType().Name} does not implement {typeof(TObserver).Name}.", nameof(observer));
        }

        if (observer is GrainReference)
        {
            throw new ArgumentException("The object is already a reference; pass the observer object itself.", nameof(observer));
        }

        return ProxyFactory.Create<TObserver>(catalog, observers.Register(observer));
    }

    public void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : IGrainObserver
    {
        if (reference is not GrainReference { GrainId.Type: var type } grainReference || type != GrainType.Observer)
        {
            throw new ArgumentException("Only references returned by CreateObjectReference can be deleted.", nameof(reference));
        }

        observers.Unregister(grainReference.GrainId);
    }
}
