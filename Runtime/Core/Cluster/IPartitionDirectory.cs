namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// One incarnation of a silo (or a gateway joined as a cluster client): where it listens for silo-to-silo calls and when
/// it started, so that a restarted process on the same host and port is a different member.
/// </summary>
/// <param name="Host">Host name or address other members connect to.</param>
/// <param name="Port">Port of its silo-to-silo endpoint.</param>
/// <param name="Generation">Distinguishes incarnations on the same host and port (its start time in ms since 1970).</param>
public readonly record struct SiloAddress(string Host, int Port, long Generation)
{
    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}@{Generation}";
}

/// <summary>Who owns a grain's partition, as this process sees it now.</summary>
/// <param name="Partition">The partition of the grain.</param>
/// <param name="Owner">The owning silo, or null when no live owner is known at the moment (retry shortly).</param>
/// <param name="Epoch">The owner's fencing token for the partition: it only grows, each new owner gets a larger one.</param>
/// <param name="IsLocal">True when this silo owns the partition now and may activate its grains.</param>
public readonly record struct PartitionOwner(int Partition, SiloAddress? Owner, long Epoch, bool IsLocal);

/// <summary>Partitions this silo gained or lost in one change of ownership.</summary>
public sealed record PartitionChange(IReadOnlyCollection<int> Gained, IReadOnlyCollection<int> Lost);

/// <summary>
/// Maps every grain to one of a fixed number of partitions and tells which silo owns each. On a single silo it owns
/// every partition at epoch 0; in a cluster the leases in PostgreSQL decide.
/// </summary>
public interface IPartitionDirectory
{
    /// <summary>How many partitions the cluster has; fixed for the life of its database.</summary>
    int PartitionCount { get; }

    /// <summary>The partition of a grain: <c>(uint)grainId.StableHash % PartitionCount</c>.</summary>
    int PartitionOf(GrainId grainId);

    /// <summary>The current owner of the grain's partition, from this process's view.</summary>
    PartitionOwner Lookup(GrainId grainId);

    /// <summary>The epoch under which this silo owns <paramref name="partition"/> now, or null when it does not own it.
    /// Every state write and reminder change of a grain in that partition carries it.</summary>
    long? LocalEpoch(int partition);

    /// <summary>Raised after this silo gained or lost partitions.</summary>
    event Action<PartitionChange>? Changed;

    /// <summary>Reads the ownership view again (after a redirect said it was stale).</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
