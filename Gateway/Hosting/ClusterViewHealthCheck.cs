using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>Ready while the cluster view was read within a few heartbeats and names at least one live silo.</summary>
internal sealed class ClusterViewHealthCheck(PostgresClusterView view, IOptions<ClusterOptions> options) : IHealthCheck
{
    // A few missed reads are a blip; beyond this the view may route phones' calls to silos that are gone.
    private const int StaleAfterHeartbeats = 5;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var live = view.Members.Count(member => member.IsLive);
        if (view.SinceLastRead is not { } age)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the cluster's database has not been read yet"));
        }

        if (age > options.Value.HeartbeatPeriod * StaleAfterHeartbeats)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the cluster view is {age.TotalSeconds:F0} s old: the database cannot be read"));
        }

        return Task.FromResult(live > 0
            ? HealthCheckResult.Healthy($"{live} live silos")
            : HealthCheckResult.Unhealthy("no live silo in the cluster"));
    }
}
