namespace NexusOrleans.Runtime.Storage.InMemory;

/// <summary>
/// Reminder rows in a dictionary under one lock. Versions come from one counter that only grows, so an upsert never
/// hands out an ETag that any earlier upsert returned, as in the SQL providers. Memory is a single silo's store, so the
/// owner fence of a change is ignored.
/// </summary>
internal sealed class InMemoryReminderTable(ProviderLifecycle lifecycle) : IReminderTable
{
    private readonly Dictionary<(string Type, string Key, string Name), ReminderEntry> _rows = [];
    private readonly Lock _lock = new();
    private long _lastVersion;

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(Ordered(_rows.Values));
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionsAsync(
        IReadOnlyCollection<int> partitions, int partitionCount, CancellationToken cancellationToken)
    {
        GrainPartitions.Validate(partitions, partitionCount);
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        var wanted = partitions.ToHashSet();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(
                Ordered(_rows.Values.Where(r => wanted.Contains(GrainPartitions.Of(r.GrainId, partitionCount)))));
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(Ordered(_rows.Values.Where(r => r.GrainId == grainId)));
        }
    }

    public Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(KeyOf(grainId, reminderName)));
        }
    }

    public Task<string> UpsertAsync(ReminderEntry entry, OwnerFence fence, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateReminder(entry);
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var eTag = StorageETag.Format(++_lastVersion);
            _rows[KeyOf(entry.GrainId, entry.Name)] = entry with
            {
                StartAt = StorageTime.Truncate(entry.StartAt),
                Period = StorageTime.FromMilliseconds(StorageTime.ToMilliseconds(entry.Period)),
                LastTickDue = StorageTime.Truncate(entry.LastTickDue),
                ETag = eTag,
            };
            return Task.FromResult(eTag);
        }
    }

    public Task<bool> RemoveAsync(GrainId grainId, string reminderName, OwnerFence fence, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.Remove(KeyOf(grainId, reminderName)));
        }
    }

    public Task<bool> RecordTickAsync(
        GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, OwnerFence fence, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        ArgumentNullException.ThrowIfNull(eTag);
        lifecycle.ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var key = KeyOf(grainId, reminderName);
            if (!_rows.TryGetValue(key, out var row) || StorageETag.Parse(row.ETag!) != StorageETag.Parse(eTag))
            {
                return Task.FromResult(false);
            }

            _rows[key] = row with { LastTickDue = StorageTime.Truncate(tickDue) };
            return Task.FromResult(true);
        }
    }

    private static (string, string, string) KeyOf(GrainId grainId, string name) => (grainId.Type.Name, grainId.Key, name);

    private static List<ReminderEntry> Ordered(IEnumerable<ReminderEntry> entries) =>
        [.. entries
            .OrderBy(r => r.GrainId.Type.Name, StringComparer.Ordinal)
            .ThenBy(r => r.GrainId.Key, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
}
