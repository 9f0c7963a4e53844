using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>Reminder rows in SQLite: reads on pooled read connections, changes through the group-commit batcher.</summary>
internal sealed class SqliteReminderTable(ProviderLifecycle lifecycle, SqliteDatabase database, GroupCommitBatcher batcher)
    : BatchedReminderTable(lifecycle, batcher)
{
    protected override Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId? grainId, string? reminderName, CancellationToken cancellationToken)
        => (grainId, reminderName) switch
        {
            (null, _) => QueryAsync(SqliteSql.ReminderReadAll, static _ => { }, cancellationToken),
            ({ } grain, null) => QueryAsync(SqliteSql.ReminderReadGrain, command => command.SetGrain(grain), cancellationToken),
            ({ } grain, { } name) => QueryAsync(
                SqliteSql.ReminderReadOne, command => command.SetGrain(grain).Set("@reminder_name", name), cancellationToken),
        };

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
