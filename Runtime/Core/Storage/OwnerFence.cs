namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// The fencing token a change of a grain's rows carries: the grain's partition and the epoch under which the writing
/// silo owns it. In a cluster the database refuses the change unless the partition's lease still has that epoch (see
/// <c>Storage/Postgres/Sql/state_insert.sql</c>), and the caller gets a <see cref="Cluster.StaleOwnerException"/>.
/// </summary>
/// <param name="Partition">The grain's partition.</param>
/// <param name="Epoch">The writer's epoch for it; 0 is a single silo, which owns everything and is never fenced.</param>
public readonly record struct OwnerFence(int Partition, long Epoch)
{
    /// <summary>A single silo's writes: epoch 0, no lease checked. SQLite and memory only ever see this.</summary>
    public static OwnerFence None => default;

    /// <summary>True when the store must check the partition's lease.</summary>
    public bool IsFenced => Epoch != 0;
}
