using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Network;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.State;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Support;

/// <summary>
/// Base of the network and relay tests: silos hosting the product's grains on a manual clock over one store (in-memory
/// unless a subclass picks SQLite or PostgreSQL), all stopped at the end; a silo started later reopens the same store.
/// </summary>
public abstract class NetworkSiloTest : SiloTestBase, IAsyncLifetime
{
    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected Task<TestSilo> StartSiloAsync(Action<NetworkOptions>? network = null, Action<IServiceCollection>? services = null) =>
        StartSiloOnStoreAsync(
            builder =>
            {
                builder.AddGrains(typeof(GrainsAssembly).Assembly);
                ConfigureGrains(builder);
            },
            collection =>
            {
                collection.AddNetwork(network);
                ConfigureServices(collection);
                services?.Invoke(collection);
            });

    /// <summary>Adds grains a family of tests needs beyond the product's.</summary>
    protected virtual void ConfigureGrains(GrainRuntimeBuilder builder)
    {
    }

    /// <summary>Adds services a family of tests needs beyond the network's.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected static INetworkParametersGrain Network(TestSilo silo) => silo.Grains.GetNetworkParameters();

    /// <summary>The stored state of a grain, or null when none is stored.</summary>
    protected static async Task<TState?> StoredStateAsync<TState>(TestSilo silo, string grainType, string key)
        where TState : class
        => await StorageOf(silo).GrainStorage.ReadAsync(new GrainId(GrainType.Create(grainType), key), "state", Ct) is { Payload: { } payload }
            ? silo.Host.Services.GetRequiredService<IGrainStateSerializer>().Deserialize<TState>(payload)
            : null;
}
