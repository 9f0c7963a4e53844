using Microsoft.Data.Sqlite;
using NexusOrleans.Runtime.Storage.Batching;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// The write statements, created once on the writer connection and reused for every batch so SQLite compiles each
/// only once.
/// </summary>
internal sealed class SqliteWriterCommands(SqliteConnection connection) : IDisposable
{
    private readonly SqliteCommand _stateInsert = SqliteParameters.Command(connection, SqliteSql.StateInsert);
    private readonly SqliteCommand _stateUpdate = SqliteParameters.Command(connection, SqliteSql.StateUpdate);
    private readonly SqliteCommand _stateVersion = SqliteParameters.Command(connection, SqliteSql.StateVersion);
    private readonly SqliteCommand _reminderUpsert = SqliteParameters.Command(connection, SqliteSql.ReminderUpsert);
    private readonly SqliteCommand _reminderRemove = SqliteParameters.Command(connection, SqliteSql.ReminderRemove);
    private readonly SqliteCommand _reminderTick = SqliteParameters.Command(connection, SqliteSql.ReminderTick);

    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in All())
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>The new version, or null when a row already exists.</summary>
    public long? InsertState(GrainId grainId, string stateName, byte[] payload, long now) =>
        _stateInsert.SetGrain(grainId)
            .Set("@state_name", stateName)
            .Set("@grain_hash", grainId.StableHash)
            .Set("@owner_epoch", SqliteParameters.SingleSiloOwnerEpoch)
            .Set("@payload", payload)
            .Set("@updated_at", now)
            .ExecuteScalar() as long?;

    /// <summary>The new version, or null when the stored version is not <paramref name="expectedVersion"/>.</summary>
    public long? UpdateState(GrainId grainId, string stateName, long expectedVersion, byte[]? payload, long now) =>
        _stateUpdate.SetGrain(grainId)
            .Set("@state_name", stateName)
            .Set("@expected_version", expectedVersion)
            .Set("@payload", payload)
            .Set("@updated_at", now)
            .ExecuteScalar() as long?;

    public long? StateVersion(GrainId grainId, string stateName) =>
        _stateVersion.SetGrain(grainId).Set("@state_name", stateName).ExecuteScalar() as long?;

    public long UpsertReminder(ReminderUpsertOperation upsert, long now) =>
        (long)_reminderUpsert.SetGrain(upsert.GrainId)
            .Set("@reminder_name", upsert.Name)
            .Set("@grain_hash", upsert.GrainId.StableHash)
            .Set("@owner_epoch", SqliteParameters.SingleSiloOwnerEpoch)
            .Set("@start_at", StorageTime.ToUnixMilliseconds(upsert.StartAt))
            .Set("@period_ms", upsert.PeriodMilliseconds)
            .Set("@last_tick_due", SqliteParameters.ToMilliseconds(upsert.LastTickDue))
            .Set("@updated_at", now)
            .ExecuteScalar()!;

    public bool RemoveReminder(GrainId grainId, string name) =>
        _reminderRemove.SetGrain(grainId).Set("@reminder_name", name).ExecuteNonQuery() > 0;

    public bool RecordTick(ReminderTickOperation tick, long now) =>
        _reminderTick.SetGrain(tick.GrainId)
            .Set("@reminder_name", tick.Name)
            .Set("@version", tick.Version)
            .Set("@last_tick_due", StorageTime.ToUnixMilliseconds(tick.TickDue))
            .Set("@updated_at", now)
            .ExecuteNonQuery() == 1;

    public void Dispose()
    {
        foreach (var command in All())
        {
            command.Dispose();
        }
    }

    private SqliteCommand[] All() => [_stateInsert, _stateUpdate, _stateVersion, _reminderUpsert, _reminderRemove, _reminderTick];
}
