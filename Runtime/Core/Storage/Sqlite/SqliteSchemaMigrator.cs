using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime.Storage.Schema;

namespace NexusOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// Brings the file's schema up to the newest version this build knows.
/// </summary>
/// <remarks>
/// Each numbered file under <c>Sqlite/Sql/</c> that is not yet recorded in <c>nexus_schema_version</c> runs in a
/// transaction of its own, together with the row that records it, so a crash leaves the schema at a whole version.
/// Every transaction starts with BEGIN IMMEDIATE, which takes the database's write lock before the version table is
/// read: two processes opening the same file at once serialize, and the second finds the work done. Running it again
/// is a no-op. A file whose recorded version is newer than this build knows is refused, never downgraded.
/// </remarks>
internal static partial class SqliteSchemaMigrator
{
    /// <summary>Migrates and returns the schema version now in place.</summary>
    /// <exception cref="StorageUnavailableException">The schema is newer than this build knows.</exception>
    public static int Migrate(SqliteConnection connection, SqliteDatabase database, TimeProvider timeProvider, ILogger logger)
    {
        var migrations = SqliteSql.Migrations();
        var newestKnown = migrations[^1].Version;
        foreach (var migration in migrations)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, SqliteSql.SchemaVersionTable);
            var applied = AppliedVersions(connection, transaction);
            SchemaVersionCheck.ThrowIfNewer("sqlite", database.FullPath, applied, newestKnown);
            if (applied.Contains(migration.Version))
            {
                transaction.Commit();
                continue;
            }

            Execute(connection, transaction, migration.Sql);
            using (var record = SqliteParameters.Command(connection, SqliteSql.SchemaVersionRecord))
            {
                record.Transaction = transaction;
                record.Set("@version", migration.Version)
                    .Set("@name", migration.Name)
                    .Set("@applied_at", StorageTime.ToUnixMilliseconds(timeProvider.GetUtcNow()))
                    .ExecuteNonQuery();
            }

            transaction.Commit();
            LogMigrationApplied(logger, migration.Version, migration.Name);
        }

        return newestKnown;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = SqliteParameters.Command(connection, sql);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static HashSet<int> AppliedVersions(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = SqliteParameters.Command(connection, SqliteSql.SchemaVersionList);
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        var versions = new HashSet<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    [LoggerMessage(EventId = StorageEventIds.MigrationApplied, Level = LogLevel.Information,
        Message = "Storage 'sqlite': applied schema migration {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name);
}
