using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>Reminder rows in SQLite: reads on pooled read connections, changes through the group-commit batcher.</summary>
internal sealed class SqliteReminderTable(ProviderLifecycle lifecycle, SqliteDatabase database, GroupCommitBatcher batcher) : IReminderTable
{
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lifecycle.ThrowIfNotReady();
        return QueryAsync(SqliteSql.ReminderReadAll, static _ => { }, cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        lifecycle.ThrowIfNotReady();
        return QueryAsync(SqliteSql.ReminderReadGrain, command => command.SetGrain(grainId), cancellationToken);
    }

    public async Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        StorageArguments.ValidateGrainId(grainId, nameof(grainId));
        StorageArguments.ValidateName(reminderName, "reminder name", nameof(reminderName));
        lifecycle.ThrowIfNotReady();
        var rows = await QueryAsync(
            SqliteSql.ReminderReadOne, command => command.SetGrain(grainId).Set("@reminder_name", reminderName), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
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

    private async Task<IReadOnlyList<ReminderEntry>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = SqliteParameters.Command(connection, sql);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<ReminderEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(SqliteReminderRows.Read(reader));
            }

            return entries;
        }
        catch (SqliteException exception) when (database.Translate(exception) is StorageUnavailableException unavailable)
        {
            throw unavailable;
        }
    }
}
