using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Cluster;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>
/// The health endpoints of a gateway process, with the silo's paths and answer: <c>/health/live</c> checks nothing
/// outside the process; <c>/health/ready</c> answers 503 while the gateway has no current view of a cluster with a live
/// silo, so a load balancer sends phones to another gateway.
/// </summary>
public static class GatewayHealth
{
    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static WebApplication MapGatewayHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}

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
