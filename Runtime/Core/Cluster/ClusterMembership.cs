using Npgsql;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The membership statements: the cluster's one-time set-up, joining, and a member's own status on a graceful stop.
/// Heartbeats and the declaration of dead members run in <see cref="HeartbeatRound"/>, in the same transaction as the
/// lease renewals.
/// </summary>
internal static class ClusterMembership
{
    /// <summary>
    /// Records the partition count if this is the first silo, creates the lease rows and the reminder index, all under the
    /// schema advisory lock so silos starting together do it once.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">The database's partition count differs from <paramref name="partitionCount"/>.</exception>
    public static async Task BootstrapAsync(NpgsqlDataSource dataSource, int partitionCount, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, PostgresSql.SchemaLock, [], cancellationToken).ConfigureAwait(false);

        await using (var settings = new NpgsqlCommand(ClusterSql.Settings, connection, transaction))
        {
            settings.Parameters.Add(PostgresParameters.Integer(partitionCount));
            var recorded = (int)(await settings.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (recorded != partitionCount)
            {
                throw new ClusterConfigurationException(
                    $"The cluster's database has {recorded} partitions, but this silo is configured with {partitionCount} " +
                    $"(Cluster:PartitionCount). The count is fixed for the life of the database; configure {recorded}.");
            }
        }

        await ExecuteAsync(connection, transaction, ClusterSql.LeasesInit, [PostgresParameters.Integer(partitionCount)], cancellationToken)
            .ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand(ClusterSql.ReminderIndexExists(partitionCount), connection, transaction))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                await ExecuteAsync(connection, transaction, ClusterSql.ReminderIndex(partitionCount), [], cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds this incarnation as a joining member; returns its silo id.</summary>
    public static async Task<long> JoinAsync(NpgsqlDataSource dataSource, SiloAddress self, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ClusterSql.SiloJoin, connection);
        command.Parameters.Add(PostgresParameters.Text(self.Host));
        command.Parameters.Add(PostgresParameters.Integer(self.Port));
        command.Parameters.Add(PostgresParameters.Bigint(self.Generation));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Brings this member back after its heartbeat was refused (see silo_rejoin.sql); only for a silo that holds no lease.
    /// False when its row no longer exists.
    /// </summary>
    public static async Task<bool> RejoinAsync(NpgsqlDataSource dataSource, long siloId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ClusterSql.SiloRejoin, connection);
        command.Parameters.Add(PostgresParameters.Bigint(siloId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string;
    }

    /// <summary>Sets this member's own status (leaving, dead); never revives a dead member.</summary>
    public static async Task SetStatusAsync(NpgsqlDataSource dataSource, long siloId, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, ClusterSql.SiloStatus, [PostgresParameters.Bigint(siloId), PostgresParameters.Text(status)], cancellationToken)
            .ConfigureAwait(false);
    }

    public static NpgsqlBatchCommand Heartbeat(long siloId, TimeSpan deadAfter) =>
        Command(ClusterSql.SiloHeartbeat, PostgresParameters.Bigint(siloId), Milliseconds(deadAfter));

    public static NpgsqlBatchCommand DeclareDead(TimeSpan deadAfter) => Command(ClusterSql.SiloDeclareDead, Milliseconds(deadAfter));

    public static NpgsqlBatchCommand Members(TimeSpan deadAfter) => Command(ClusterSql.SiloMembers, Milliseconds(deadAfter));

    public static ClusterMember ReadMember(NpgsqlDataReader row) => new(
        row.GetInt64(0),
        new SiloAddress(row.GetString(1), row.GetInt32(2), row.GetInt64(3)),
        row.GetString(4),
        row.GetBoolean(5));

    public static NpgsqlParameter Milliseconds(TimeSpan duration) => PostgresParameters.Bigint(StorageTime.ToMilliseconds(duration));

    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
