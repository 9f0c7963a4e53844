using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.State;
using NexusOrleans.Runtime.Storage;

namespace NexusOrleans.Runtime.Hosting;

/// <summary>Registers the grain runtime with a host.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime: <see cref="IGrainFactory"/>, <see cref="ISiloStatus"/>, <see cref="IPartitionDirectory"/> and the
    /// hosted service that starts it and shuts it down gracefully. Choose a storage provider in <paramref name="configure"/>,
    /// and <c>UsePostgresCluster</c> there to join a cluster; without it the silo owns every partition alone.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.RuntimeMetrics>();
        services.TryAddSingleton<IGrainStateSerializer, JsonGrainStateSerializer>();
        services.AddOptions<GrainRuntimeOptions>().ValidateOnStart();
        services.AddOptions<ReminderOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainRuntimeOptions>, GrainRuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>());

        configure(new GrainRuntimeBuilder(services));

        services.TryAddSingleton<IStorageProvider>(provider => provider.GetService<Func<IServiceProvider, IStorageProvider>>() is { } factory
            ? factory(provider)
            : throw new InvalidOperationException("No grain storage is configured: call UseSqliteStorage, UsePostgresStorage or UseInMemoryStorage in AddGrainRuntime."));
        services.TryAddSingleton<IPartitionDirectory>(_ => new LocalPartitionDirectory());
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainFactory>(provider => provider.GetRequiredService<GrainRuntime>().GrainFactory);
        services.TryAddSingleton<ISiloStatus>(provider => provider.GetRequiredService<GrainRuntime>());
        services.AddHostedService<SiloLifecycle>();
        return services;
    }
}
