using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Tests.Grains;
using NexusOrleans.Testing;

namespace NexusOrleans.Runtime.Tests.Cluster;

/// <summary>How a silo picks its partition directory: alone by default, in a cluster only on PostgreSQL.</summary>
public sealed class ClusterHostingTests : SiloTest
{
    [Fact]
    public async Task Start_WithoutCluster_OwnsEveryPartitionAtEpochZero()
    {
        var silo = await StartSiloAsync();

        var directory = silo.Host.Services.GetRequiredService<IPartitionDirectory>();

        Assert.IsType<LocalPartitionDirectory>(directory);
        Assert.Equal(new PartitionOwner(directory.PartitionOf(Grain("a")), LocalPartitionDirectory.LocalSilo, 0, true), directory.Lookup(Grain("a")));
        Assert.All(Enumerable.Range(0, directory.PartitionCount), partition => Assert.Equal(0, directory.LocalEpoch(partition)));
    }

    [Fact]
    public async Task Start_ClusterOnMemoryStorage_RefusesNamingTheStore()
    {
        var error = await Assert.ThrowsAsync<ClusterConfigurationException>(
            () => StartSiloOnStoreAsync(builder => builder.AddGrains(typeof(Probe).Assembly).UsePostgresCluster(), services => services.AddSingleton(Probe)));

        Assert.Contains("this silo's storage is 'memory'", error.Message, StringComparison.Ordinal);
    }

    private static GrainId Grain(string key) => new(GrainType.Create("test.cluster"), key);
}
