using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>
/// The health endpoints of every process here (a silo, with or without its gateway, and a gateway on its own), with
/// the same paths and answer. <c>/health/live</c> answers whenever the process serves HTTP: it checks nothing outside
/// the process, so an outage of storage or of the cluster never gets it restarted. <c>/health/ready</c> runs the checks
/// tagged <see cref="ReadyTag"/> and answers 503 when one fails, so traffic goes elsewhere.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds the readiness check every process here shares: unready once the process is stopping (SIGTERM), before the
    /// web server closes and before the silo's own checks would notice.
    /// </summary>
    public static IHealthChecksBuilder AddStoppingCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<StoppingHealthCheck>("stopping", tags: [ReadyTag]);

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c>.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
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
