using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>A queued insert-or-replace of a reminder; the result is the row's new ETag.</summary>
internal sealed class ReminderUpsertOperation(ReminderEntry entry, OwnerFence fence) : StorageOperation<string>
{
    public OwnerFence Fence { get; } = fence;

    public GrainId GrainId { get; } = entry.GrainId;

    public string Name { get; } = entry.Name;

    public DateTimeOffset StartAt { get; } = StorageTime.Truncate(entry.StartAt);

    public long PeriodMilliseconds { get; } = StorageTime.ToMilliseconds(entry.Period);

    public DateTimeOffset? LastTickDue { get; } = StorageTime.Truncate(entry.LastTickDue);
}

/// <summary>A queued delete of a reminder; the result says whether it existed.</summary>
internal sealed class ReminderRemoveOperation(GrainId grainId, string name, OwnerFence fence) : StorageOperation<bool>
{
    public OwnerFence Fence { get; } = fence;

    public GrainId GrainId { get; } = grainId;

    public string Name { get; } = name;
}

/// <summary>A queued record of a delivered tick, applied only while the row still has <see cref="Version"/>.</summary>
internal sealed class ReminderTickOperation(GrainId grainId, string name, string eTag, DateTimeOffset tickDue, OwnerFence fence)
    : StorageOperation<bool>
{
    public OwnerFence Fence { get; } = fence;

    public GrainId GrainId { get; } = grainId;

    public string Name { get; } = name;

    public long Version { get; } = StorageETag.Parse(eTag);

    public DateTimeOffset TickDue { get; } = StorageTime.Truncate(tickDue);
}

/// <summary>Stages the refusal of a change whose fence epoch is no longer the partition's.</summary>
internal static class StaleOwnerRefusal
{
    public static void StageStale<TResult>(this StorageOperation<TResult> operation, OwnerFence fence)
        => operation.StageRefusal(new StaleOwnerException(null, fence.Partition, fence.Epoch));
}
