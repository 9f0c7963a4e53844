using NexusOrleans.Runtime.Hosting;

namespace NexusOrleans.Runtime.Collection;

/// <summary>
/// Deactivates activations that had no call for <see cref="GrainRuntimeOptions.CollectionAge"/>. Every
/// <see cref="GrainRuntimeOptions.CollectionQuantum"/> it reads each activation's last-call stamp without a lock and asks
/// the stale ones to collect themselves; each confirms in its own context that it is still idle and has nothing running
/// or queued, so a call that arrives meanwhile either keeps it alive or is handed to its next activation.
/// </summary>
internal sealed class ActivationCollector(Catalog.Catalog catalog, TimeProvider timeProvider, GrainRuntimeOptions options) : IDisposable
{
    private ITimer? _timer;

    public void Start()
        => _timer = timeProvider.CreateTimer(
            static state => ((ActivationCollector)state!).Collect(), this, options.CollectionQuantum, options.CollectionQuantum);

    public void Dispose() => _timer?.Dispose();

    private void Collect()
    {
        var now = timeProvider.GetTimestamp();
        foreach (var activation in catalog.Activations)
        {
            activation.CollectIfIdle(now, options.CollectionAge);
        }
    }
}
