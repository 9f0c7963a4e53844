namespace NexusOrleans.Runtime;

/// <summary>Hands out references to grains and observers. References are cheap; calls activate grains on demand.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain with this interface and key. Nothing is activated until the first call.</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="GrainKey.Validate"/>, or no grain class implements the interface.</exception>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrain;

    /// <summary>A reference to an existing grain identity, seen through another of its interfaces.</summary>
    TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable;

    /// <summary>
    /// Makes a local object reachable by grains: the returned reference can be passed to a grain, which calls it
    /// like any grain. The runtime holds the object until <see cref="DeleteObjectReference{TObserver}"/> is called.
    /// </summary>
    TObserver CreateObjectReference<TObserver>(IGrainObserver observer)
        where TObserver : IGrainObserver;

    /// <summary>Releases an object created by <see cref="CreateObjectReference{TObserver}"/>; later calls to it fail with <see cref="ObserverNotFoundException"/>.</summary>
    void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : IGrainObserver;
}
