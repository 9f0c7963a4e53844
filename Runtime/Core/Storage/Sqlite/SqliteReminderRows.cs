using Microsoft.Data.Sqlite;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>Maps a reminder row (grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version).</summary>
internal static class SqliteReminderRows
{
    public static ReminderEntry Read(SqliteDataReader reader) => new(
        new GrainId(GrainType.Create(reader.GetString(0)), reader.GetString(1)),
        reader.GetString(2),
        StorageTime.FromUnixMilliseconds(reader.GetInt64(3)),
        StorageTime.FromMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : StorageTime.FromUnixMilliseconds(reader.GetInt64(5)),
        StorageETag.Format(reader.GetInt64(6)));
}
