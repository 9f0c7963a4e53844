using Npgsql;
using NexusOrleans.Runtime.Storage.Postgres;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The lease statements: renew (in the heartbeat round), acquire, release, and the view of every lease. What each one
/// guarantees is written at the top of its file under <c>Cluster/Sql/</c>.
/// </summary>
internal static class PartitionLeases
{
    public static NpgsqlBatchCommand Renew(long siloId, TimeSpan leaseDuration, IReadOnlyList<(int Partition, long Epoch)> held) =>
        ClusterMembership.Command(
            ClusterSql.LeaseRenew,
            PostgresParameters.Bigint(siloId),
            ClusterMembership.Milliseconds(leaseDuration),
            PostgresParameters.IntegerArray(held.Select(lease => lease.Partition)),
            PostgresParameters.BigintArray(held.Select(lease => lease.Epoch)));

    public static NpgsqlBatchCommand View() => ClusterMembership.Command(ClusterSql.LeaseView);

    public static LeaseRow ReadLease(NpgsqlDataReader row) =>
        new(row.GetInt32(0), row.IsDBNull(1) ? null : row.GetInt64(1), row.GetInt64(2), row.GetBoolean(3));

    /// <summary>Takes those of <paramref name="wanted"/> that are free or expired; returns (partition, new epoch) of each taken.</summary>
    public static async Task<List<(int Partition, long Epoch)>> AcquireAsync(
        NpgsqlDataSource dataSource, long siloId, TimeSpan leaseDuration, IReadOnlyList<int> wanted, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ClusterSql.LeaseAcquire, connection);
        command.Parameters.Add(PostgresParameters.Bigint(siloId));
        command.Parameters.Add(ClusterMembership.Milliseconds(leaseDuration));
        command.Parameters.Add(PostgresParameters.IntegerArray(wanted));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var taken = new List<(int, long)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            taken.Add((reader.GetInt32(0), reader.GetInt64(1)));
        }

        return taken;
    }

    /// <summary>Gives back the leases this silo still holds at the given epochs, so the next owner need not wait for expiry.</summary>
    public static async Task ReleaseAsync(
        NpgsqlDataSource dataSource, long siloId, IReadOnlyList<(int Partition, long Epoch)> leases, CancellationToken cancellationToken)
    {
        if (leases.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ClusterSql.LeaseRelease, connection);
        command.Parameters.Add(PostgresParameters.Bigint(siloId));
        command.Parameters.Add(PostgresParameters.IntegerArray(leases.Select(lease => lease.Partition)));
        command.Parameters.Add(PostgresParameters.BigintArray(leases.Select(lease => lease.Epoch)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
