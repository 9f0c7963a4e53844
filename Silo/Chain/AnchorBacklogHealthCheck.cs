using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NexusOrleans.Grains.Anchoring;

namespace NexusOrleans.Silo.Chain;

/// <summary>
/// Degraded (never Unhealthy: the silo relays messages whether or not the chain answers) while an epoch has waited
/// longer than <see cref="AnchoringOptions.DegradedAfter"/> to be confirmed on chain, or one is in conflict with it.
/// </summary>
public sealed class AnchorBacklogHealthCheck(AnchorBacklog backlog, IOptions<AnchoringOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = backlog.Count;
        var oldest = backlog.OldestAge;
        var summary = $"{count} epoch(s) waiting to be anchored, the oldest for {oldest:c}; {backlog.Conflicts} in conflict with the chain";
        var degraded = (count > 0 && oldest > options.Value.DegradedAfter) || backlog.Conflicts > 0;
        return Task.FromResult(degraded ? HealthCheckResult.Degraded(summary) : HealthCheckResult.Healthy(summary));
    }
}
