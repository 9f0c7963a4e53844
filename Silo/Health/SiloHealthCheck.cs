using Microsoft.Extensions.Diagnostics.HealthChecks;
using NexusOrleans.Runtime.Catalog;
using NexusOrleans.Runtime.Hosting;

namespace NexusOrleans.Silo.Health;

/// <summary>Ready while the grain runtime takes calls.</summary>
internal sealed class SiloHealthCheck(ISiloStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(status.Phase == SiloPhase.Running
            ? HealthCheckResult.Healthy($"running, {status.ActivationCount} activations")
            : HealthCheckResult.Unhealthy($"silo is {status.Phase.ToString().ToLowerInvariant()}"));
}
