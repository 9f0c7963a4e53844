using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Testing.Cluster;

/// <summary>
/// One process's view of a <see cref="ClusterMap"/>: copied when created and again on each <see cref="RefreshAsync"/>,
/// so a test can leave one silo with a stale view while the others have moved on.
/// </summary>
public sealed class InMemoryPartitionDirectory(ClusterMap map, SiloAddress local) : IPartitionDirectory
{
    private (SiloAddress? Owner, long Epoch)[] _view = map.Snapshot();
    private int _refreshes;

    /// <inheritdoc />
    public event Action<PartitionChange>? Changed;

    /// <summary>How many times the view was refreshed.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <inheritdoc />
    public int PartitionCount => map.PartitionCount;

    /// <inheritdoc />
    public int PartitionOf(GrainId grainId) => map.PartitionOf(grainId);

    /// <inheritdoc />
    public PartitionOwner Lookup(GrainId grainId)
    {
        var partition = PartitionOf(grainId);
        var (owner, epoch) = Volatile.Read(ref _view)[partition];
        return new PartitionOwner(partition, owner, epoch, owner == local);
    }

    /// <inheritdoc />
    public long? LocalEpoch(int partition)
    {
        var (owner, epoch) = Volatile.Read(ref _view)[partition];
        return owner == local ? epoch : null;
    }

    /// <inheritdoc />
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        var before = Volatile.Read(ref _view);
        var after = map.Snapshot();
        Volatile.Write(ref _view, after);
        Interlocked.Increment(ref _refreshes);
        var gained = Enumerable.Range(0, after.Length).Where(p => after[p].Owner == local && before[p].Owner != local).ToArray();
        var lost = Enumerable.Range(0, after.Length).Where(p => after[p].Owner != local && before[p].Owner == local).ToArray();
        if (gained.Length > 0 || lost.Length > 0)
        {
            Changed?.Invoke(new PartitionChange(gained, lost));
        }

        return Task.CompletedTask;
    }
}
