namespace NexusOrleans.Runtime.Storage.Batching;

/// <summary>
/// Reminder rows of a SQL store: every call is validated and refused unless the provider is ready; changes go through
/// the group-commit batcher; each store says only how to read rows.
/// </summary>
internal abstract class BatchedReminderTable(ProviderLifecycle lifecycle, GroupCommitBatcher batcher) : IReminderTable
{
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lifecycle.ThrowIfNotReady();
        return ReadRowsAsync(grainId: null, reminderName: null, cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionsAsync(
        IReadOnlyCollection<int> partitions, int partitionCount, CancellationToken cancellationToken)
    {
        GrainPartitions.Validate(partitions, partitionCount);
        lifecycle.ThrowIfNotReady();
        return ReadPartitionRowsAsync(partitions, partitionCount, cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        lifecycle.ThrowIfNotReady();
        return ReadRowsAsync(grainId, reminderName: null, cancellationToken);
    }

    public async Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ValidateReminderKey(grainId, reminderName);
        lifecycle.ThrowIfNotReady();
        var entries = await ReadRowsAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : entries[0];
    }

    public Task<string> UpsertAsync(ReminderEntry entry, OwnerFence fence, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateReminder(entry);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderUpsertOperation(entry, fence), cancellationToken);
    }

    public Task<bool> RemoveAsync(GrainId grainId, string reminderName, OwnerFence fence, CancellationToken cancellationToken)
    {
        ValidateReminderKey(grainId, reminderName);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderRemoveOperation(grainId, reminderName, fence), cancellationToken);
    }

    public Task<bool> RecordTickAsync(
        GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, OwnerFence fence, CancellationToken cancellationToken)
    {
        ValidateReminderKey(grainId, reminderName);
        ArgumentNullException.ThrowIfNull(eTag);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderTickOperation(grainId, reminderName, eTag, tickDue, fence), cancellationToken);
    }

    /// <summary>
    /// Reads every row (both arguments null), the rows of one grain (name null), or the one row of a reminder.
    /// Arguments are valid.
    /// </summary>
    protected abstract Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId? grainId, string? reminderName, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the rows of the partitions' grains. Reads every row and keeps those, unless the store can select them
    /// itself. Arguments are valid.
    /// </summary>
    protected virtual async Task<IReadOnlyList<ReminderEntry>> ReadPartitionRowsAsync(
        IReadOnlyCollection<int> partitions, int partitionCount, CancellationToken cancellationToken)
    {
        var wanted = partitions.ToHashSet();
        var all = await ReadRowsAsync(grainId: null, reminderName: null, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(entry => wanted.Contains(GrainPartitions.Of(entry.GrainId, partitionCount)))];
    }

    private static void ValidateReminderKey(GrainId grainId, string reminderName)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
    }
}
