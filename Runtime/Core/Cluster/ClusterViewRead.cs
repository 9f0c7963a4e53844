using Npgsql;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// One read of the cluster for a process that owns nothing: the partition count on record, the members not dead and
/// every lease, in one round trip. Only SELECTs (cluster_partition_count.sql, silo_members.sql, lease_view.sql): it
/// never adds a member, heartbeats or touches a lease.
/// </summary>
internal static class ClusterViewRead
{
    public static async Task<ClusterViewSnapshot> RunAsync(NpgsqlDataSource dataSource, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(ClusterMembership.Command(ClusterSql.PartitionCount));
        batch.BatchCommands.Add(ClusterMembership.Members(deadAfter));
        batch.BatchCommands.Add(PartitionLeases.View());

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        int? partitionCount = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt32(0) : null;

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<ClusterMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(ClusterMembership.ReadMember(reader));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<LeaseRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(PartitionLeases.ReadLease(reader));
        }

        return new ClusterViewSnapshot(partitionCount, members, leases);
    }
}

/// <summary>What one read found.</summary>
/// <param name="PartitionCount">The count on record, or null when no silo has joined yet.</param>
/// <param name="Members">Members not dead.</param>
/// <param name="Leases">Every partition's lease, in partition order.</param>
internal sealed record ClusterViewSnapshot(int? PartitionCount, IReadOnlyList<ClusterMember> Members, IReadOnlyList<LeaseRow> Leases);
