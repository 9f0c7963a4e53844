using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing.Cluster;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>A process hosting no grains calls them on a silo and hosts observers the silo's grains call back.</summary>
public sealed class ClusterClientTests : ClusterTest
{
    [Fact]
    public async Task ClusterClient_GrainOnSilo_CallRunsOnTheSiloAndReturnsResult()
    {
        var (silo, client) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(silo);
        var member = await StartMemberAsync(silo);
        using var host = await StartClientAsync(client);
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        Assert.Equal(1, await grains.GetGrain<ICounterGrain>("c1").Increment());
        Assert.Equal(2, await grains.GetGrain<ICounterGrain>("c1").Increment());
        Assert.Equal(silo.ToString(), await grains.GetGrain<IRemoteGrain>("r1").Where());
        Assert.Equal(2, member.Status.ActivationCount);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ClusterClient_ObserverCreatedInClient_ReceivesCallsFromGrainOnSilo()
    {
        var (silo, client) = (ClusterTestServices.NextAddress(), ClusterTestServices.NextAddress());
        Map.AssignAll(silo);
        await StartMemberAsync(silo);
        using var host = await StartClientAsync(client);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var observer = new RecordingObserver();
        var publisher = grains.GetGrain<IPublisherGrain>("p");
        await publisher.Subscribe(grains.CreateObjectReference<IChatObserver>(observer));

        Assert.Equal(1, await publisher.Publish("to the gateway"));

        Assert.Equal("to the gateway", await observer.Next());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private async Task<IHost> StartClientAsync(SiloAddress address)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddClusterClient(client => client.AddGrainTypes(typeof(Probe).Assembly).Configure(options => options.Listen(address)));
        builder.Services.AddInMemoryPartitionDirectory(Map);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }
}
