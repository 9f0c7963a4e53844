using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>
/// Unready from the moment the process begins to stop (SIGTERM): the gateway then refuses new phones and tells
/// connected ones to reconnect elsewhere, and a silo is about to hand its grains off, so no load balancer should send
/// anything more here. The other checks would still pass until the runtime itself begins draining, which comes later.
/// </summary>
internal sealed class StoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("stopping: phones are told to reconnect elsewhere")
            : HealthCheckResult.Healthy("running"));
}
