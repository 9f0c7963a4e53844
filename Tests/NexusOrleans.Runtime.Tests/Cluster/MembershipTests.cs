using System.Diagnostics;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Postgres;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>Joining, heartbeats and dead-member detection, on real PostgreSQL (one fresh database per test).</summary>
public sealed class MembershipTests
{
    [Fact]
    public async Task Join_TwoSilos_EachSeesBothActive()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var first = await cluster.StartAsync();
        var second = await cluster.StartAsync();

        await Poll.UntilAsync(
            () => new[] { first, second }.All(node => node.Directory.Members.Count(member => member.Status == "active" && member.Fresh) == 2),
            "both silos see two fresh active members");

        Assert.Equal(
            [first.Directory.Self, second.Directory.Self],
            first.Directory.Members.Select(member => member.Address).ToArray());
    }

    [Fact]
    public async Task Heartbeat_SiloStopsHeartbeating_DeclaredDeadWithinDeadAfter()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        await cluster.StartAsync();
        var paused = await cluster.StartAsync();
        var since = Stopwatch.StartNew();

        paused.Directory.PauseHeartbeats();
        await Poll.UntilAsync(
            async () => (string?)await cluster.ScalarAsync("SELECT status FROM nexus_silos WHERE silo_id = $1", paused.Directory.SiloId) == "dead",
            "the paused silo is declared dead");

        // Not before DeadAfter had passed since its last heartbeat (at most one period before the pause), and within
        // DeadAfter plus a couple of the survivor's heartbeat periods (generous: the machine may be busy).
        Assert.InRange(since.Elapsed, ClusterHarness.DeadAfter - ClusterHarness.Heartbeat, ClusterHarness.DeadAfter + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task DatabaseDownPastDeadAfter_WhenItIsBack_EverySiloRejoinsAndRetakesItsPartitionsUnderNewEpochs()
    {
        await using var server = await PostgresServer.StartLocalAsync(Ct);
        await using var cluster = await ClusterHarness.CreateAsync(server);
        var nodes = new[] { await cluster.StartAsync(partitions: 32), await cluster.StartAsync(partitions: 32) };
        await cluster.SettledAsync(nodes, 32);
        var epochSum = "SELECT sum(epoch) FROM nexus_partition_leases";
        var epochsBefore = (decimal)(await cluster.ScalarAsync(epochSum))!;

        await server.StopAsync(Ct);
        var stopped = Stopwatch.StartNew();
        await Poll.UntilAsync(() => nodes.All(node => node.Directory.ServingPartitions().Count == 0), "both silos fence themselves");
        // The outage must outlast DeadAfter, so that neither heartbeat is accepted when the database is back: that is the
        // case this test is about, and only time passing produces it.
        await Poll.UntilAsync(() => stopped.Elapsed > ClusterHarness.DeadAfter * 2, "DeadAfter passes with the database down");
        await server.StartAsync(Ct);

        await cluster.SettledAsync(nodes, 32);
        Assert.Equal(0L, await cluster.ScalarAsync("SELECT count(*) FROM nexus_silos WHERE status <> 'active'"));
        // Every partition was taken again, each under a larger epoch: the sum grows by at least one per partition.
        Assert.True((decimal)(await cluster.ScalarAsync(epochSum))! >= epochsBefore + 32);
    }

    [Fact]
    public async Task Join_PartitionCountDiffersFromTheDatabase_RefusesWithBothCounts()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        await cluster.StartAsync(partitions: 64);

        var error = await Assert.ThrowsAsync<ClusterConfigurationException>(() => cluster.StartAsync(partitions: 32));

        Assert.Contains("has 64 partitions, but this silo is configured with 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_Graceful_MarksTheSiloDead()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var node = await cluster.StartAsync();

        await node.Directory.LeaveAsync(Ct).WithTimeout();

        Assert.Equal("dead", await cluster.ScalarAsync("SELECT status FROM nexus_silos WHERE silo_id = $1", node.Directory.SiloId));
        Assert.Equal(0L, await cluster.ScalarAsync("SELECT count(*) FROM nexus_partition_leases WHERE owner_silo IS NOT NULL"));
    }
}
