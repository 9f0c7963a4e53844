using Microsoft.Extensions.Logging;
using Npgsql;
using NexusOrleans.Runtime.Storage.Schema;

namespace NexusOrleans.Runtime.Storage.Postgres;

/// <summary>
/// Brings the database's schema up to the newest version this build knows, safely from many silos at once.
/// </summary>
/// <remarks>
/// Each numbered file under <c>Postgres/Sql/</c> that is not yet recorded in <c>nexus_schema_version</c> runs in a
/// transaction of its own, together with the row that records it, so a failure leaves the schema at a whole version
/// (PostgreSQL DDL is transactional). Every transaction first takes a transaction-scoped advisory lock, then creates
/// the version table if missing and reads it: silos starting together queue on the lock, and each later one finds the
/// work done. The lock is released by COMMIT or ROLLBACK, including when a connection dies. Running it again is a no-op.
/// A database whose recorded version is newer than this build knows is refused, never downgraded.
/// </remarks>
internal static partial class PostgresSchemaMigrator
{
    /// <summary>Migrates and returns the schema version now in place.</summary>
    /// <exception cref="StorageUnavailableException">The schema is newer than this build knows.</exception>
    public static async Task<int> MigrateAsync(
        NpgsqlDataSource dataSource, PostgresEndpoint endpoint, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var migrations = PostgresSql.Migrations();
        var newestKnown = migrations[^1].Version;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var migration in migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, PostgresSql.SchemaLock, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, PostgresSql.SchemaVersionTable, cancellationToken).ConfigureAwait(false);
            var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            SchemaVersionCheck.ThrowIfNewer("postgres", endpoint.Location, applied, newestKnown);
            if (!applied.Contains(migration.Version))
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand(PostgresSql.SchemaVersionRecord, connection, transaction);
                record.Parameters.Add(PostgresParameters.Integer(migration.Version));
                record.Parameters.Add(PostgresParameters.Text(migration.Name));
                record.Parameters.Add(PostgresParameters.Time(StorageTime.Truncate(timeProvider.GetUtcNow())));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                LogMigrationApplied(logger, migration.Version, migration.Name);
                continue;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return newestKnown;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PostgresSql.SchemaVersionList, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    [LoggerMessage(EventId = StorageEventIds.MigrationApplied, Level = LogLevel.Information,
        Message = "Storage 'postgres': applied schema migration {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name);
}
