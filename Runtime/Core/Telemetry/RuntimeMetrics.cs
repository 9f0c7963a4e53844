using System.Diagnostics.Metrics;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Runtime.Telemetry;

/// <summary>
/// The grain runtime's instruments: calls and activations by grain type, storage operations, partition moves and
/// cluster membership. Calls are counted on the hot path with a tag built once per grain class, so a call allocates
/// nothing for its measurement; activations and membership are read only when a collector asks.
/// </summary>
internal sealed class RuntimeMetrics
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _activationsCreated;
    private readonly Histogram<double> _storageDuration;
    private readonly Counter<long> _storageErrors;
    private readonly Counter<long> _partitionMoves;

    public RuntimeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(NexusTelemetry.MeterName);
        _calls = Meter.CreateCounter<long>("nexus.grain.calls", "{call}", "Grain calls started, by grain type.");
        _activationsCreated = Meter.CreateCounter<long>("nexus.grain.activations.created", "{activation}", "Grain activations that completed activating, by grain type.");
        _storageDuration = Meter.CreateHistogram<double>("nexus.storage.duration", "s", "Grain state storage operations (read, write, clear), by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _storageErrors = Meter.CreateCounter<long>("nexus.storage.errors", "{error}", "Grain state storage operations that failed, by operation.");
        _partitionMoves = Meter.CreateCounter<long>("nexus.cluster.partition.moves", "{partition}", "Partitions this silo gained or lost (direction).");

        // Rare events: their series exist (at 0) from the start, so a rate over them is defined before the first one.
        foreach (var operation in (string[])["read", "write", "clear"])
        {
            _storageErrors.Add(0, new KeyValuePair<string, object?>("operation", operation));
        }

        _partitionMoves.Add(0, new KeyValuePair<string, object?>("direction", "gained"));
        _partitionMoves.Add(0, new KeyValuePair<string, object?>("direction", "lost"));
    }

    public Meter Meter { get; }

    public bool CallsEnabled => _calls.Enabled;

    public void CallStarted(in KeyValuePair<string, object?> grainType) => _calls.Add(1, grainType);

    public void Activated(in KeyValuePair<string, object?> grainType) => _activationsCreated.Add(1, grainType);

    public void StorageOperation(string operation, TimeSpan elapsed, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("operation", operation);
        _storageDuration.Record(elapsed.TotalSeconds, tag);
        if (failed)
        {
            _storageErrors.Add(1, tag);
        }
    }

    public void PartitionsMoved(PartitionChange change)
    {
        if (change.Gained.Count > 0)
        {
            _partitionMoves.Add(change.Gained.Count, new KeyValuePair<string, object?>("direction", "gained"));
        }

        if (change.Lost.Count > 0)
        {
            _partitionMoves.Add(change.Lost.Count, new KeyValuePair<string, object?>("direction", "lost"));
        }
    }

    /// <summary>Live activations by grain type, counted when a collector reads them.</summary>
    public void ObserveActivations(Func<IEnumerable<Measurement<long>>> observe)
        => Meter.CreateObservableGauge("nexus.grain.activations", observe, "{activation}", "Live grain activations on this silo, by grain type.");

    /// <summary>Live cluster members as this silo last read them.</summary>
    public void ObserveMembers(Func<int> liveMembers)
        => Meter.CreateObservableGauge("nexus.cluster.silos", liveMembers, "{silo}", "Live silos in the cluster, as this silo last read the membership.");

    /// <summary>Partitions this silo serves now.</summary>
    public void ObserveOwnedPartitions(Func<int> served)
        => Meter.CreateObservableGauge("nexus.cluster.partitions.owned", served, "{partition}", "Partitions this silo serves.");
}
