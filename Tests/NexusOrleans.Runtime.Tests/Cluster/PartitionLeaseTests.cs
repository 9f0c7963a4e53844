using System.Diagnostics;
using NexusOrleans.Testing;
using static NexusOrleans.Runtime.Tests.Storage.StorageTestSupport;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>Partition assignment, acquisition, takeover and handoff, on real PostgreSQL (one fresh database per test).</summary>
public sealed class PartitionLeaseTests
{
    [Fact]
    public async Task Join_OnlySilo_ServesEveryPartitionAtEpochOne()
    {
        await using var cluster = await ClusterHarness.CreateAsync();

        var node = await cluster.StartAsync(partitions: 64);

        Assert.Equal(Enumerable.Range(0, 64), node.Directory.ServingPartitions());
        Assert.All(Enumerable.Range(0, 64), partition => Assert.Equal(1, node.Directory.LocalEpoch(partition)));
    }

    [Fact]
    public async Task Rendezvous_ThreeSilos_EachServesAFairShare()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        List<ClusterNode> nodes = [await cluster.StartAsync(256), await cluster.StartAsync(256), await cluster.StartAsync(256)];

        await cluster.SettledAsync(nodes, 256);

        Assert.All(nodes, node => Assert.InRange(node.Directory.ServingPartitions().Count, 60, 110));
    }

    [Fact]
    public async Task Rendezvous_FourthSiloJoins_TakesAboutAQuarterAndOnlyPartitionsMoveToIt()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        List<ClusterNode> nodes = [await cluster.StartAsync(256), await cluster.StartAsync(256), await cluster.StartAsync(256)];
        await cluster.SettledAsync(nodes, 256);
        var before = nodes.ToDictionary(node => node, node => node.Directory.ServingPartitions().ToHashSet());

        var fourth = await cluster.StartAsync(256);
        await cluster.SettledAsync([.. nodes, fourth], 256);

        Assert.InRange(fourth.Directory.ServingPartitions().Count, 40, 90);
        Assert.All(nodes, node => Assert.Subset(before[node], node.Directory.ServingPartitions().ToHashSet()));
    }

    [Fact]
    public async Task Takeover_OwnerStopsHeartbeating_SurvivorTakesItsPartitionsAtAHigherEpoch()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var survivor = await cluster.StartAsync();
        var paused = await cluster.StartAsync();
        await cluster.SettledAsync([survivor, paused], 64);
        var pausedEpochs = paused.Directory.ServingPartitions().ToDictionary(partition => partition, partition => paused.Directory.LocalEpoch(partition)!.Value);

        paused.Directory.PauseHeartbeats();
        await Poll.UntilAsync(() => survivor.Directory.ServingPartitions().Count == 64, "the survivor serves every partition");

        Assert.NotEmpty(pausedEpochs);
        Assert.All(pausedEpochs, pair => Assert.True(
            survivor.Directory.LocalEpoch(pair.Key) > pair.Value,
            $"partition {pair.Key}: epoch {survivor.Directory.LocalEpoch(pair.Key)} after takeover, {pair.Value} before"));
    }

    [Fact]
    public async Task Leave_Graceful_SurvivorTakesOverWithoutWaitingForExpiry()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var longLease = TimeSpan.FromSeconds(5);
        var survivor = await cluster.StartAsync(configure: options => (options.LeaseDuration, options.DeadAfter) = (longLease, longLease));
        var leaving = await cluster.StartAsync(configure: options => (options.LeaseDuration, options.DeadAfter) = (longLease, longLease));
        await cluster.SettledAsync([survivor, leaving], 64);
        var since = Stopwatch.StartNew();

        await leaving.Directory.LeaveAsync(Ct).WithTimeout();
        await Poll.UntilAsync(() => survivor.Directory.ServingPartitions().Count == 64, "the survivor serves every partition");

        Assert.True(since.Elapsed < longLease, $"took {since.Elapsed}, not less than the lease duration {longLease}");
    }

    [Fact]
    public async Task Handoff_SecondSiloJoins_FirstRaisesLostAndReleasesOnlyThoseLeases()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var first = await cluster.StartAsync();

        var second = await cluster.StartAsync();
        await cluster.SettledAsync([first, second], 64);

        var moved = second.Directory.ServingPartitions();
        Assert.NotEmpty(moved);
        Assert.Equal(moved.Order(), first.Lost.Distinct().Order());
        Assert.All(moved, partition => Assert.Equal(2, second.Directory.LocalEpoch(partition)));
    }
}
