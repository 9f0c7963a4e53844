using Npgsql;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// One heartbeat round in one round trip and one transaction: heartbeat, declare stale members dead, renew every lease
/// this silo holds, then read the members and the leases. Running the renewal in the heartbeat's transaction, after it,
/// is what ties leases to liveness: a silo whose heartbeat is refused renews nothing.
/// </summary>
internal static class HeartbeatRound
{
    public static async Task<HeartbeatResult> RunAsync(
        NpgsqlDataSource dataSource,
        long siloId,
        ClusterOptions options,
        IReadOnlyList<(int Partition, long Epoch)> held,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(ClusterMembership.Heartbeat(siloId, options.DeadAfter));
        batch.BatchCommands.Add(ClusterMembership.DeclareDead(options.DeadAfter));
        batch.BatchCommands.Add(PartitionLeases.Renew(siloId, options.LeaseDuration, held));
        batch.BatchCommands.Add(ClusterMembership.Members(options.DeadAfter));
        batch.BatchCommands.Add(PartitionLeases.View());

        HeartbeatResult result;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var status = reader.IsDBNull(0) ? null : reader.GetString(0);

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var declaredDead = reader.IsDBNull(1) ? null : reader.GetString(1);

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var renewed = reader.GetFieldValue<int[]>(0);

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

            result = new HeartbeatResult(status, declaredDead, renewed, members, leases);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}

/// <summary>What one heartbeat round found.</summary>
/// <param name="Status">This silo's status after the heartbeat, or null when the heartbeat was refused (it is dead).</param>
/// <param name="DeclaredDead">Members this round declared dead, or null.</param>
/// <param name="Renewed">The partitions whose lease was renewed.</param>
/// <param name="Members">Members not dead.</param>
/// <param name="Leases">Every partition's lease, in partition order.</param>
internal sealed record HeartbeatResult(
    string? Status, string? DeclaredDead, int[] Renewed, IReadOnlyList<ClusterMember> Members, IReadOnlyList<LeaseRow> Leases);
