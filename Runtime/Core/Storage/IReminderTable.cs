namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Where durable reminders live, one row per (grain, reminder name). Times are stored to the millisecond;
/// the reminder service only hands in whole milliseconds, and every provider returns them unchanged.
/// </summary>
/// <remarks>
/// Every change takes an <see cref="OwnerFence"/>: in a cluster the store refuses a change whose epoch is no longer
/// the partition's with <see cref="Cluster.StaleOwnerException"/>; single-silo stores (SQLite, memory) ignore it. The
/// overloads without a fence are a single silo's (<see cref="OwnerFence.None"/>).
/// </remarks>
public interface IReminderTable
{
    /// <summary>Every stored reminder.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The reminders of grains whose partition, <c>(uint)StableHash % <paramref name="partitionCount"/></c>, is one of
    /// <paramref name="partitions"/>: what a silo loads when it gains partitions.
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> ReadPartitionsAsync(IReadOnlyCollection<int> partitions, int partitionCount, CancellationToken cancellationToken);

    /// <summary>The reminders of one grain.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>One reminder, or null.</summary>
    Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces the reminder with the entry's start, period and last tick (its ETag is ignored).
    /// Returns the row's new ETag, which differs from every earlier ETag of that row. Durable when it completes.
    /// </summary>
    Task<string> UpsertAsync(ReminderEntry entry, OwnerFence fence, CancellationToken cancellationToken);

    /// <summary>Deletes the reminder; returns false when it did not exist. Durable when it completes.</summary>
    Task<bool> RemoveAsync(GrainId grainId, string reminderName, OwnerFence fence, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the tick due at <paramref name="tickDue"/> was delivered, if the row still has ETag
    /// <paramref name="eTag"/> (it was not re-registered or removed since). Does not change the ETag.
    /// Returns false when the row is gone or has another ETag.
    /// </summary>
    Task<bool> RecordTickAsync(
        GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, OwnerFence fence, CancellationToken cancellationToken);

    /// <summary>A single silo's upsert (no fence).</summary>
    Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
        => UpsertAsync(entry, OwnerFence.None, cancellationToken);

    /// <summary>A single silo's removal (no fence).</summary>
    Task<bool> RemoveAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
        => RemoveAsync(grainId, reminderName, OwnerFence.None, cancellationToken);

    /// <summary>A single silo's tick record (no fence).</summary>
    Task<bool> RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, CancellationToken cancellationToken)
        => RecordTickAsync(grainId, reminderName, eTag, tickDue, OwnerFence.None, cancellationToken);
}

/// <summary>A stored reminder.</summary>
/// <param name="GrainId">The grain it wakes.</param>
/// <param name="Name">Unique per grain.</param>
/// <param name="StartAt">When it is first due.</param>
/// <param name="Period">Time between ticks (whole milliseconds).</param>
/// <param name="LastTickDue">The due time of the last tick delivered, or null when none was.</param>
/// <param name="ETag">The row's version; null on an entry not read from storage.</param>
public sealed record ReminderEntry(
    GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, DateTimeOffset? LastTickDue, string? ETag);

/// <summary>The partition arithmetic every store and the directory share.</summary>
public static class GrainPartitions
{
    /// <summary>The partition of a grain: <c>(uint)StableHash % partitionCount</c>.</summary>
    public static int Of(GrainId grainId, int partitionCount) => (int)((uint)grainId.StableHash % (uint)partitionCount);

    /// <summary>Validates the arguments of a partition read, the same way for every store.</summary>
    internal static void Validate(IReadOnlyCollection<int> partitions, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        foreach (var partition in partitions)
        {
            if (partition < 0 || partition >= partitionCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(partitions), partition, $"Partition {partition} is outside 0 … {partitionCount - 1}.");
            }
        }
    }
}
