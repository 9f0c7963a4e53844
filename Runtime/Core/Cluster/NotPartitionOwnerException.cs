namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// A call reached a silo that does not own the grain's partition, so the grain was not activated here. Retryable: the
/// <see cref="Hint"/> says which silo owns it as far as this silo knows (none while ownership is moving).
/// </summary>
public sealed class NotPartitionOwnerException(GrainId grainId, PartitionOwner hint)
    : Exception(hint.Owner is { } owner
        ? $"Grain {grainId} is in partition {hint.Partition}, which silo {owner} owns (epoch {hint.Epoch}), not this silo; call it there."
        : $"Grain {grainId} is in partition {hint.Partition}, which no live silo owns at the moment; retry shortly.")
{
    /// <summary>The grain that was called.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>The owner as this silo sees it.</summary>
    public PartitionOwner Hint { get; } = hint;
}
