using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>
/// Whole silos in a cluster on one PostgreSQL database: grains activate only where their partition is, and state and
/// reminders follow a partition to its new owner. Grains run on the test's manual clock; the cluster's heartbeats and
/// leases on the real one, as the database's are.
/// </summary>
public sealed class ClusterSiloTests : SiloTest
{
    private const int Partitions = 16;
    private int _nextPort = 21000;

    protected override StoreKind Store => StoreKind.Postgres;

    [Fact]
    public async Task Call_GrainOfAPartitionAnotherSiloServes_IsForwardedAndActivatedOnlyThere()
    {
        var first = await StartClusterSiloAsync();
        var second = await StartClusterSiloAsync();
        await Eventually(() => Task.FromResult(Directory(first).ServingPartitions().Count + Directory(second).ServingPartitions().Count == Partitions
                                               && Directory(second).ServingPartitions().Count > 0), "both silos serve partitions");
        var key = KeyServedBy(Directory(second));
        var grain = GrainOf(key);

        Assert.Equal(1, await first.Grains.GetGrain<ICounterGrain>(key).Increment());
        Assert.Equal(2, await first.Grains.GetGrain<ICounterGrain>(key).Increment());

        Assert.Contains(Runtime(second).Catalog.Activations, activation => activation.GrainId == grain);
        Assert.DoesNotContain(Runtime(first).Catalog.Activations, activation => activation.GrainId == grain);
    }

    [Fact]
    public async Task State_OwnerPausedAndTakenOver_NewOwnerReadsWhatItWrote()
    {
        var first = await StartClusterSiloAsync();
        var counter = first.Grains.GetGrain<ICounterGrain>("moving");
        for (var i = 0; i < 3; i++)
        {
            await counter.Increment();
        }

        Directory(first).PauseHeartbeats();
        var second = await StartClusterSiloAsync();
        await Eventually(() => Task.FromResult(Directory(second).ServingPartitions().Count == Partitions), "the second silo serves every partition");

        Assert.Equal(3, await second.Grains.GetGrain<ICounterGrain>("moving").Get());
    }

    [Fact]
    public async Task Reminder_OwnerLeavesGracefully_FiresOnTheNewOwner()
    {
        var first = await StartClusterSiloAsync();
        await first.Grains.GetGrain<IReminderGrain>("remind").Register("moving", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var second = await StartClusterSiloAsync();

        await first.StopAsync();
        await Eventually(() => Task.FromResult(Runtime(second).Reminders.Count == 1), "the new owner loaded the reminder");
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Probe.WaitForPrefix("reminder:remind:moving:");
        Assert.Equal(Partitions, Directory(second).ServingPartitions().Count);
    }

    [Fact]
    public async Task Lost_PartitionHandedToAJoiningSilo_ItsActivationsDeactivate()
    {
        var first = await StartClusterSiloAsync();
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        foreach (var key in keys)
        {
            await first.Grains.GetGrain<ICounterGrain>(key).Increment();
        }

        var second = await StartClusterSiloAsync();
        await Eventually(() => Task.FromResult(Directory(second).ServingPartitions().Count > 0
                                               && Directory(first).ServingPartitions().Count + Directory(second).ServingPartitions().Count == Partitions),
            "the second silo took its share");

        var moved = keys.Where(key => !Directory(first).Lookup(GrainOf(key)).IsLocal).ToList();
        Assert.NotEmpty(moved);
        await Eventually(
            () => Task.FromResult(moved.All(key => Probe.Events.Contains($"deactivate:{key}:{DeactivationReasonCode.PartitionLost}"))),
            "every activation of a moved partition deactivated on the first silo");
        Assert.All(moved, key => Assert.True(Directory(second).Lookup(GrainOf(key)).IsLocal));
    }

    private static GrainId GrainOf(string key) => new(NexusOrleans.Runtime.Catalog.GrainClass.NameOf(typeof(CounterGrain)), key);

    private static string KeyServedBy(PostgresPartitionDirectory directory) =>
        Enumerable.Range(0, 1000).Select(i => $"key{i}").First(key => directory.Lookup(GrainOf(key)).IsLocal);

    private static PostgresPartitionDirectory Directory(TestSilo silo) =>
        (PostgresPartitionDirectory)silo.Host.Services.GetRequiredService<IPartitionDirectory>();

    private static GrainRuntime Runtime(TestSilo silo) => silo.Host.Services.GetRequiredService<GrainRuntime>();

    private Task<TestSilo> StartClusterSiloAsync()
    {
        var port = Interlocked.Increment(ref _nextPort);
        return StartSiloOnStoreAsync(
            builder => builder
                .AddGrains(typeof(Probe).Assembly)
                .UsePostgresCluster(options =>
                {
                    var test = ClusterHarness.Options(port, Partitions);
                    (options.Host, options.Port, options.PartitionCount) = (test.Host, test.Port, test.PartitionCount);
                    (options.HeartbeatPeriod, options.LeaseDuration, options.DeadAfter) = (test.HeartbeatPeriod, test.LeaseDuration, test.DeadAfter);
                }),
            services => services
                .AddSingleton(Probe)
                .AddKeyedSingleton(ClusterOptions.ClockKey, TimeProvider.System));
    }
}
