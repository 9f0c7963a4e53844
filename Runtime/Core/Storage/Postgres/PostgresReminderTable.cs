using Npgsql;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>Reminder rows in PostgreSQL: reads on pooled connections, changes through the group-commit batcher.</summary>
internal sealed class PostgresReminderTable(ProviderLifecycle lifecycle, PostgresReader reader, GroupCommitBatcher batcher) : IReminderTable
{
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lifecycle.ThrowIfNotReady();
        return reader.QueryAsync(PostgresSql.ReminderReadAll, static () => [], ReadEntriesAsync, cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        lifecycle.ThrowIfNotReady();
        return reader.QueryAsync(
            PostgresSql.ReminderReadGrain,
            () => [PostgresParameters.Text(grainId.Type.Name), PostgresParameters.Text(grainId.Key)],
            ReadEntriesAsync,
            cancellationToken);
    }

    public async Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        lifecycle.ThrowIfNotReady();
        var entries = await reader.QueryAsync(
            PostgresSql.ReminderReadOne, () => PostgresParameters.Grain(grainId, reminderName), ReadEntriesAsync, cancellationToken)
            .ConfigureAwait(false);
        return entries.Count == 0 ? null : entries[0];
    }

    public Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateReminder(entry);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderUpsertOperation(entry), cancellationToken);
    }

    public Task<bool> RemoveAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderRemoveOperation(grainId, reminderName), cancellationToken);
    }

    public Task<bool> RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTimeOffset tickDue, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        ArgumentNullException.ThrowIfNull(eTag);
        lifecycle.ThrowIfNotReady();
        return batcher.SubmitAsync(new ReminderTickOperation(grainId, reminderName, eTag, tickDue), cancellationToken);
    }

    /// <summary>Maps rows of (grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version).</summary>
    private static async Task<IReadOnlyList<ReminderEntry>> ReadEntriesAsync(NpgsqlDataReader row, CancellationToken cancellationToken)
    {
        var entries = new List<ReminderEntry>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry(
                new GrainId(GrainType.Create(row.GetString(0)), row.GetString(1)),
                row.GetString(2),
                row.GetFieldValue<DateTimeOffset>(3),
                StorageTime.FromMilliseconds(row.GetInt64(4)),
                row.IsDBNull(5) ? null : row.GetFieldValue<DateTimeOffset>(5),
                StorageETag.Format(row.GetInt64(6))));
        }

        return entries;
    }
}
