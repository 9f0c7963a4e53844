namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// This silo does not own the partition of the grain called, so it does not activate it. A call forwarded from
/// another silo is answered with a redirect carrying <see cref="Owner"/>, this silo's view of who does.
/// </summary>
public sealed class NotPartitionOwnerException(GrainId grainId, PartitionOwner owner)
    : Exception($"This silo does not own partition {owner.Partition} of grain {grainId}; its owner is {owner.Owner?.ToString() ?? "unknown"} at epoch {owner.Epoch}.")
{
    /// <summary>The grain called.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>Who owns the partition, as this silo sees it.</summary>
    public PartitionOwner Owner { get; } = owner;
}
