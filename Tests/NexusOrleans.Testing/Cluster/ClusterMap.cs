using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Testing.Cluster;

/// <summary>
/// Who owns each partition, as a test decides: the truth the silos' <see cref="InMemoryPartitionDirectory"/> views copy
/// when they refresh. Every change of owner raises the partition's epoch, as a new lease would.
/// </summary>
public sealed class ClusterMap(int partitionCount = 8)
{
    private readonly Lock _lock = new();
    private readonly (SiloAddress? Owner, long Epoch)[] _owners = new (SiloAddress?, long)[partitionCount];

    /// <summary>How many partitions the cluster has.</summary>
    public int PartitionCount => _owners.Length;

    /// <summary>The partition of a grain, as the directory contract defines it.</summary>
    public int PartitionOf(GrainId grainId) => (int)((uint)grainId.StableHash % (uint)_owners.Length);

    /// <summary>Gives every partition to <paramref name="owner"/> (null: no live owner).</summary>
    public void AssignAll(SiloAddress? owner)
    {
        for (var partition = 0; partition < _owners.Length; partition++)
        {
            Assign(partition, owner);
        }
    }

    /// <summary>Gives one partition to <paramref name="owner"/> (null: no live owner).</summary>
    public void Assign(int partition, SiloAddress? owner)
    {
        lock (_lock)
        {
            _owners[partition] = (owner, _owners[partition].Epoch + 1);
        }
    }

    /// <summary>A copy of the current assignment.</summary>
    public (SiloAddress? Owner, long Epoch)[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _owners];
        }
    }
}
