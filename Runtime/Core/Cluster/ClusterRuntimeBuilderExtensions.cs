using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Runtime.Storage.Postgres;

namespace NexusOrleans.Runtime.Cluster;

/// <summary>Makes a silo a member of a PostgreSQL cluster.</summary>
public static class ClusterRuntimeBuilderExtensions
{
    /// <summary>
    /// Joins the cluster whose membership and partition leases live in the silo's PostgreSQL storage (section
    /// <c>Cluster</c>; <paramref name="configure"/> applies after configuration binding). The silo joins and takes its
    /// first view before it serves calls, and leaves gracefully when it stops.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">At start: the storage is not PostgreSQL, or the database's partition count differs.</exception>
    public static GrainRuntimeBuilder UsePostgresCluster(this GrainRuntimeBuilder builder, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // The silo-to-silo endpoint: the address it advertises in the membership table is the one it listens on.
        builder.UseCluster(configure);
        services.AddSingleton<IPartitionDirectory>(provider =>
        {
            var storage = provider.GetRequiredService<IStorageProvider>();
            if (storage is not PostgresStorageProvider postgres)
            {
                throw new ClusterConfigurationException(
                    $"A cluster keeps its membership and leases in PostgreSQL, but this silo's storage is '{storage.Name}'. " +
                    "Use PostgreSQL storage (Storage:Provider = postgres) or turn the cluster off (Cluster:Enabled = false).");
            }

            return new PostgresPartitionDirectory(
                postgres.DataSource,
                provider.GetRequiredService<IOptions<ClusterOptions>>().Value,
                provider.GetRequiredService<SiloEndpoint>().Address,
                provider.GetKeyedService<TimeProvider>(ClusterOptions.ClockKey) ?? provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("NexusOrleans.Runtime.Cluster"));
        });
        return builder;
    }
}
