using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster.Client;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Registers cluster calls for a silo (through <c>UseCluster</c>) or for a process hosting no grains.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="ClusterClient"/>, also registered as <see cref="IGrainFactory"/>: every grain call is forwarded to
    /// the silo the <see cref="IPartitionDirectory"/> (which must be registered) names, and observers are hosted in this
    /// process, reachable at the <see cref="ClusterOptions"/> endpoint. Name the grain classes whose types are called in
    /// <paramref name="configure"/>; the client never activates them.
    /// </summary>
    public static IServiceCollection AddClusterClient(this IServiceCollection services, Action<ClusterClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ClusterClientBuilder(services);
        configure(builder);
        services.AddClusterEndpoint(builder.ConfigureOptions);
        services.TryAddSingleton(provider => new ClusterClient(
            provider.GetRequiredService<SiloEndpoint>(),
            provider.GetService<IPartitionDirectory>() ?? throw new InvalidOperationException(
                "AddClusterClient needs an IPartitionDirectory service to tell which silo owns which grains; register one."),
            provider.GetServices<ClientGrainTypeRegistration>(),
            provider.GetRequiredService<IOptions<ClusterOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IGrainFactory>(provider => provider.GetRequiredService<ClusterClient>());
        services.AddHostedService<ClusterClientLifecycle>();
        return services;
    }

    /// <summary>
    /// Registers a <see cref="PostgresClusterView"/> over the cluster in <paramref name="connectionString"/>'s database as
    /// this process's <see cref="IPartitionDirectory"/>: a read-only view for a process that hosts no grains, to pair
    /// with <see cref="AddClusterClient"/>. It takes its first view when the host starts (before hosted services
    /// registered after it) and reads every <see cref="ClusterOptions.HeartbeatPeriod"/> until the host stops.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty.</exception>
    public static IServiceCollection AddPostgresClusterView(this IServiceCollection services, string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                "A cluster view reads the cluster's PostgreSQL database: give its connection string (Storage:Postgres:ConnectionString).",
                nameof(connectionString));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ClusterOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton(provider => PostgresClusterView.Create(
            connectionString,
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value,
            provider.GetKeyedService<TimeProvider>(ClusterOptions.ClockKey) ?? provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Runtime.Cluster")));
        services.TryAddSingleton<IPartitionDirectory>(provider => provider.GetRequiredService<PostgresClusterView>());
        services.AddHostedService<ClusterViewLifecycle>();
        return services;
    }

    internal static IServiceCollection AddClusterEndpoint(this IServiceCollection services, Action<ClusterOptions>? configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<ClusterOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton<SiloEndpoint>();
        return services;
    }
}
