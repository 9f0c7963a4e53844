namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The directory of a single silo (SQLite, memory, or PostgreSQL without <c>Cluster:Enabled</c>): it owns every
/// partition at epoch 0, forever, so writes are never fenced and <see cref="Changed"/> never fires.
/// </summary>
public sealed class LocalPartitionDirectory : IPartitionDirectory, IClusterLifecycle
{
    /// <summary>The address a single silo reports as the owner.</summary>
    public static readonly SiloAddress LocalSilo = new("localhost", 0, 0);

    /// <summary>Creates the directory.</summary>
    public LocalPartitionDirectory(int partitionCount = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        PartitionCount = partitionCount;
    }

    /// <inheritdoc />
    public event Action<PartitionChange>? Changed
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public int PartitionCount { get; }

    Func<IReadOnlyCollection<int>, CancellationToken, Task>? IClusterLifecycle.Drain { get; set; }

    /// <inheritdoc />
    public int PartitionOf(GrainId grainId) => Storage.GrainPartitions.Of(grainId, PartitionCount);

    /// <inheritdoc />
    public PartitionOwner Lookup(GrainId grainId) => new(PartitionOf(grainId), LocalSilo, 0, IsLocal: true);

    /// <inheritdoc />
    public long? LocalEpoch(int partition) => 0;

    /// <inheritdoc />
    public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IClusterLifecycle.JoinAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IClusterLifecycle.BeginLeavingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IClusterLifecycle.LeaveAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
