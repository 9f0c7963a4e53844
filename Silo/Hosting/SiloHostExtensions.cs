using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Canaries;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Gateway.Telemetry;
using NexusOrleans.Grains;
using NexusOrleans.Grains.Epochs;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Relays.Stake;
using NexusOrleans.Runtime.Cluster;
using NexusOrleans.Runtime.Hosting;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Silo.Chain;
using NexusOrleans.Silo.Health;

namespace NexusOrleans.Silo.Hosting;

/// <summary>Turns a web application into a silo: the grain runtime on its configured store, health checks, Kestrel limits.</summary>
public static class SiloHostExtensions
{
    /// <summary>Where the silo listens when nothing else is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// Adds the grain runtime (sections <c>Grains</c>, <c>Reminders</c>, <c>Storage</c>, and <c>Cluster</c>: with
    /// <c>Cluster:Enabled</c> true and PostgreSQL storage the silo joins the cluster in that database), the product's grains (<c>Inbox</c>,
    /// <c>Ledger</c>, <c>Network</c>, <c>Relays</c>) and
    /// the phone gateway co-hosted in the same process (<c>Gateway</c>, <c>Relay</c>), and the canary prober that measures
    /// every live relay (<c>Canaries</c>): the embedded default.
    /// </summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddNexusTelemetry();
        services.AddOptions<GrainRuntimeOptions>().BindConfiguration(GrainRuntimeOptions.SectionName);
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.SectionName);
        services.AddOptions<SiloStorageOptions>().BindConfiguration(SiloStorageOptions.SectionName);
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        var clustered = builder.Configuration.GetValue<bool>($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Enabled)}");
        services.AddGrainRuntime(runtime =>
        {
            runtime.AddGrains(typeof(GrainsAssembly).Assembly).UseStorage(provider => CreateStorage(provider));
            if (clustered)
            {
                runtime.UsePostgresCluster();
            }
        });
        services.AddInbox();
        services.AddLedger();
        services.AddNetwork();
        services.AddRelays();
        services.AddOnChainStakeCheck(builder.Configuration);
        services.AddEpochs();
        builder.AddChainAnchoring();
        // The backlog's instruments exist without a chain too (nothing waits), so dashboards show 0 rather than no data.
        services.TryAddSingleton<NexusOrleans.Grains.Anchoring.AnchorBacklog>();

        // The host must wait for the silo's own graceful shutdown. Read from configuration rather than the validated
        // options, so an invalid value is reported by validation, not by the host's construction.
        var shutdown = builder.Configuration.GetValue<TimeSpan?>($"{GrainRuntimeOptions.SectionName}:{nameof(GrainRuntimeOptions.ShutdownTimeout)}")
                       ?? new GrainRuntimeOptions().ShutdownTimeout;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown.Duration() + TimeSpan.FromSeconds(5));

        services.AddGateway();
        services.AddCanaries();

        services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag])
            .AddStoppingCheck();
        return builder;
    }

    private static IStorageProvider CreateStorage(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SiloStorageOptions>>().Value;
        return options.Provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => StorageProviders.Sqlite(provider, options.Sqlite),
            "postgres" or "postgresql" => StorageProviders.Postgres(provider, options.Postgres),
            "memory" => StorageProviders.InMemory(provider),
            _ => throw new OptionsValidationException(
                SiloStorageOptions.SectionName,
                typeof(SiloStorageOptions),
                [$"Storage:Provider is '{options.Provider}'; use sqlite, postgres or memory."]),
        };
    }
}
