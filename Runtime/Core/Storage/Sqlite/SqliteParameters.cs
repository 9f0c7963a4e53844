using Microsoft.Data.Sqlite;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>Binding helpers, so every statement binds keys and times the same way.</summary>
internal static class SqliteParameters
{
    /// <summary>Owner epoch written by a single silo; the cluster will pass the owner's fencing epoch instead.</summary>
    public const long SingleSiloOwnerEpoch = 0;

    public static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        if (command.Parameters.Contains(name))
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
        else
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static SqliteCommand SetGrain(this SqliteCommand command, GrainId grainId) =>
        command.Set("@grain_type", grainId.Type.Name).Set("@grain_key", grainId.Key);

    public static long? ToMilliseconds(DateTimeOffset? time) => time is { } t ? StorageTime.ToUnixMilliseconds(t) : null;
}
