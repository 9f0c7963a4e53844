using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NexusOrleans.Runtime;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Benchmarks.Hosting;

/// <summary>
/// A silo in the benchmark process, built the way the silo host builds one (generic host, <c>AddGrainRuntime</c>),
/// on the system clock, with logging limited to warnings so log formatting is not part of any figure.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private BenchSilo(IHost host) => Host = host;

    /// <summary>The host.</summary>
    public IHost Host { get; }

    /// <summary>For calling grains.</summary>
    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Live activations and the storage in use.</summary>
    public ISiloStatus Status => Host.Services.GetRequiredService<ISiloStatus>();

    /// <summary>The storage provider the silo opened.</summary>
    public IStorageProvider Storage => Host.Services.GetRequiredService<IStorageProvider>();

    /// <summary>Builds and starts a silo hosting <paramref name="configure"/>'s grains and storage.</summary>
    public static async Task<BenchSilo> StartAsync(Action<GrainRuntimeBuilder> configure)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrainRuntime(configure);
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>A silo with <see cref="Grains.PingGrain"/> and in-memory storage: the runtime's call path alone.</summary>
    public static Task<BenchSilo> StartPingSiloAsync()
        => StartAsync(runtime => runtime.AddGrain<Grains.PingGrain>().UseInMemoryStorage());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
