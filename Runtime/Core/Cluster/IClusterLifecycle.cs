namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// What the silo's lifecycle does with its partition directory: join before serving calls, leave after the last
/// grain deactivated, and the hook a graceful handoff awaits to deactivate the grains of the partitions it gives away.
/// </summary>
internal interface IClusterLifecycle
{
    /// <summary>Deactivates the activations of the given partitions; set once by the runtime.</summary>
    Func<IReadOnlyCollection<int>, CancellationToken, Task>? Drain { get; set; }

    /// <summary>Joins and takes the first view; returns once the silo knows what it owns.</summary>
    Task JoinAsync(CancellationToken cancellationToken);

    /// <summary>Tells the cluster this silo is stopping: no partitions are assigned to it any more.</summary>
    Task BeginLeavingAsync(CancellationToken cancellationToken);

    /// <summary>Releases every lease and marks the silo dead, so others take its partitions at once.</summary>
    Task LeaveAsync(CancellationToken cancellationToken);
}
