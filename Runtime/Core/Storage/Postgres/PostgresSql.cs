using NexusOrleans.Runtime.Storage.Schema;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>The PostgreSQL statements, loaded from the checked-in files under <c>Storage/Postgres/Sql/</c>.</summary>
internal static class PostgresSql
{
    public const string Folder = "Postgres/Sql/";

    public static readonly string SchemaLock = Load("schema_lock.sql");
    public static readonly string SchemaVersionTable = Load("schema_version_table.sql");
    public static readonly string SchemaVersionList = Load("schema_version_list.sql");
    public static readonly string SchemaVersionRecord = Load("schema_version_record.sql");
    public static readonly string Health = Load("health.sql");
    public static readonly string StateRead = Load("state_read.sql");
    public static readonly string StateInsert = Load("state_insert.sql");
    public static readonly string StateUpdate = Load("state_update.sql");
    public static readonly string StateProbe = Load("state_probe.sql");
    public static readonly string ReminderUpsert = Load("reminder_upsert.sql");
    public static readonly string ReminderRemove = Load("reminder_remove.sql");
    public static readonly string ReminderTick = Load("reminder_tick.sql");
    public static readonly string ReminderReadOne = Load("reminder_read_one.sql");
    public static readonly string ReminderReadGrain = Load("reminder_read_grain.sql");
    public static readonly string ReminderReadAll = Load("reminder_read_all.sql");

    /// <summary>reminder_read_partitions.sql with the cluster's partition count in place (see the file for why).</summary>
    public static string ReminderReadPartitions(int partitionCount) => WithPartitionCount(Load("reminder_read_partitions.sql"), partitionCount);

    /// <summary>Puts a partition count, formatted here as an integer, where a statement says {PartitionCount}.</summary>
    public static string WithPartitionCount(string sql, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return sql.Replace("{PartitionCount}", partitionCount.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    public static IReadOnlyList<SchemaMigration> Migrations() => SqlScripts.Migrations(Folder);

    private static string Load(string file) => SqlScripts.Load(Folder + file);
}
