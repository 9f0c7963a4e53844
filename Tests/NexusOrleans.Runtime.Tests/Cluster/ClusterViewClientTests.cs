using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>A process hosting no grains, routing by a read-only view of a PostgreSQL cluster, calls silos and is called back.</summary>
public sealed class ClusterViewClientTests : ClusterTest
{
    private const int Partitions = 16;

    protected override StoreKind Store => StoreKind.Postgres;

    [Fact]
    public async Task ClusterClient_WithPostgresView_CallsAGrainOnASiloAndReceivesItsObserverCalls()
    {
        await StartPostgresMemberAsync();
        using var host = await StartClientAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var observer = new RecordingObserver();
        var publisher = grains.GetGrain<IPublisherGrain>("p");
        // The client reads who owns what every heartbeat period; on a busy machine its first read can precede the
        // silo's first lease.
        var view = host.Services.GetRequiredService<IPartitionDirectory>();
        await Poll.UntilAsync(() => view.Lookup(new GrainId(GrainType.Create("publisher"), "p")).Owner is not null, "the client sees the publisher's owner");

        await publisher.Subscribe(grains.CreateObjectReference<IChatObserver>(observer));
        Assert.Equal(1, await publisher.Publish("to the gateway process"));

        Assert.Equal("to the gateway process", await observer.Next());
        Assert.Equal(1, await grains.GetGrain<ICounterGrain>("c1").Increment());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private Task<TestSilo> StartPostgresMemberAsync()
    {
        var address = ClusterTestServices.NextAddress();
        return StartSiloOnStoreAsync(
            builder => builder.AddGrains(typeof(Probe).Assembly).UsePostgresCluster(options => Configure(options, address)),
            services => services.AddSingleton(Probe).AddKeyedSingleton(ClusterOptions.ClockKey, TimeProvider.System));
    }

    private async Task<IHost> StartClientAsync()
    {
        var address = ClusterTestServices.NextAddress();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddKeyedSingleton(ClusterOptions.ClockKey, TimeProvider.System);
        builder.Services.AddPostgresClusterView(((PostgresTestStore)CurrentStore).ConnectionString);
        builder.Services.AddClusterClient(client => client.AddGrainTypes(typeof(Probe).Assembly).Configure(options => Configure(options, address)));
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static void Configure(ClusterOptions options, SiloAddress address)
    {
        var test = ClusterHarness.Options(address.Port, Partitions);
        options.Listen(address);
        options.PartitionCount = test.PartitionCount;
        (options.HeartbeatPeriod, options.LeaseDuration, options.DeadAfter) = (test.HeartbeatPeriod, test.LeaseDuration, test.DeadAfter);
    }
}
