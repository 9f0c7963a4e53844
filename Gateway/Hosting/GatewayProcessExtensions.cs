using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Gateway.Telemetry;
using NexusOrleans.Grains;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>
/// Turns a web application into a gateway process: the phone endpoints of <see cref="GatewayHostExtensions"/>, calling
/// the cluster's grains through a cluster client that routes by a read-only view of the cluster's PostgreSQL database.
/// It hosts no grains, so it has no embedded mode: a single node is the silo, which hosts the gateway itself.
/// </summary>
public static class GatewayProcessExtensions
{
    /// <summary>Where the gateway listens for phones when nothing else is configured (the silo's default is 8080).</summary>
    public const string DefaultUrl = "http://127.0.0.1:8090";

    /// <summary>The setting naming the cluster's database (the same one the silos use).</summary>
    public const string ConnectionStringKey = "Storage:Postgres:ConnectionString";

    /// <summary>
    /// Adds the gateway (sections <c>Gateway</c>, <c>Relay</c>), a cluster view of the database in
    /// <c>Storage:Postgres:ConnectionString</c> and a cluster client (section <c>Cluster</c>: <c>Host</c> and <c>Port</c>
    /// of the endpoint silos call its observers back on, <c>HeartbeatPeriod</c> of the view's reads,
    /// <c>PartitionCount</c> as the silos have it), and the health checks of <see cref="HealthEndpoints"/>.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">No connection string is configured.</exception>
    public static WebApplicationBuilder AddGatewayProcess(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var connectionString = builder.Configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ClusterConfigurationException(
                $"a gateway process calls the grains of a PostgreSQL cluster and needs its database: set {ConnectionStringKey} " +
                "(environment variable Storage__Postgres__ConnectionString). It has no embedded mode; for a single node with " +
                "the gateway inside, run the silo instead (dotnet run --project Silo).");
        }

        var services = builder.Services;
        services.AddNexusTelemetry();
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        services.AddPostgresClusterView(connectionString);
        services.AddClusterClient(client => client.AddGrainTypes(typeof(GrainsAssembly).Assembly));
        services.AddGateway();
        services.AddHealthChecks().AddCheck<ClusterViewHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]).AddStoppingCheck();
        return builder;
    }

    /// <summary>Maps the phone endpoints and <c>/health/live</c>, <c>/health/ready</c>.</summary>
    public static WebApplication MapGatewayProcess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapGateway();
        return app;
    }
}
