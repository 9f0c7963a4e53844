using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Testing.Cluster;

/// <summary>Addresses on 127.0.0.1 and directories over a shared <see cref="ClusterMap"/> for in-process clusters.</summary>
public static class ClusterTestServices
{
    private static long _generation;

    /// <summary>A fresh address on a free loopback port, with a generation no other address of this process has.</summary>
    public static SiloAddress NextAddress() => new("127.0.0.1", LoopbackPort.Free(), Interlocked.Increment(ref _generation));

    /// <summary>Makes the process listen at <paramref name="address"/>.</summary>
    public static void Listen(this ClusterOptions options, SiloAddress address)
    {
        options.Host = address.Host;
        options.Port = address.Port;
        options.Generation = address.Generation;
    }

    /// <summary>Registers this process's view of <paramref name="map"/> as its <see cref="IPartitionDirectory"/>.</summary>
    public static IServiceCollection AddInMemoryPartitionDirectory(this IServiceCollection services, ClusterMap map)
        => services.AddSingleton<IPartitionDirectory>(provider => new InMemoryPartitionDirectory(map, provider.GetRequiredService<SiloEndpoint>().Address));
}
