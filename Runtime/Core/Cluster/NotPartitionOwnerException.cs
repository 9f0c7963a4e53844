namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// A call reached a silo that does not own the grain's partition, so the grain was not activated here. Retryable (hence a
/// <see cref="SiloUnavailableException"/>): a call forwarded from another silo is answered with a redirect carrying
/// <see cref="Owner"/>, this silo's view of who owns it (none while ownership is moving); a call made in this process sees
/// it only when the partition moved between the router's look-up and the activation.
/// </summary>
public sealed class NotPartitionOwnerException(GrainId grainId, PartitionOwner owner)
    : SiloUnavailableException(owner.Owner is { } silo
        ? $"Grain {grainId} is in partition {owner.Partition}, which silo {silo} owns (epoch {owner.Epoch}), not this silo; call it there."
        : $"Grain {grainId} is in partition {owner.Partition}, which no live silo owns at the moment; retry shortly.")
{
    /// <summary>The grain that was called.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>Who owns the partition, as this silo sees it.</summary>
    public PartitionOwner Owner { get; } = owner;
}
