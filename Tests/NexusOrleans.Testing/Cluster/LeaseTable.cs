using System.Globalization;
using Npgsql;

namespace NexusOrleans.Testing.Cluster;

/// <summary>
/// The cluster's lease table read the way an operator would, for tests and benchmarks that run silo processes: who
/// serves how many partitions right now, and which silo serves a stored inbox. Silos are named by their cluster port.
/// </summary>
public static class LeaseTable
{
    /// <summary>Partitions under a lease that has not expired, by the owner's cluster port; silos owning none are absent.</summary>
    public static async Task<Dictionary<int, int>> PartitionsBySiloAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT s.port, count(*)::int
            FROM nexus_partition_leases l JOIN nexus_silos s ON s.silo_id = l.owner_silo
            WHERE l.lease_expires_at > now()
            GROUP BY s.port
            """, connection);
        var result = new Dictionary<int, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return result;
    }

    /// <summary>The cluster port of the silo whose live lease covers each stored inbox, by inbox key (the phone's identity).</summary>
    public static async Task<Dictionary<string, int>> InboxOwnersAsync(string connectionString, int partitionCount)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            string.Create(CultureInfo.InvariantCulture, $"""
            SELECT g.grain_key, s.port
            FROM nexus_grain_state g
            JOIN nexus_partition_leases l ON l.partition = ((g.grain_hash::bigint & 4294967295) % {partitionCount})
            JOIN nexus_silos s ON s.silo_id = l.owner_silo
            WHERE g.grain_type = 'inbox' AND l.lease_expires_at > now()
            """), connection);
        var owners = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            owners[reader.GetString(0)] = reader.GetInt32(1);
        }

        return owners;
    }
}
