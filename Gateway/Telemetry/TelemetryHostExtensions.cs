using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>Metrics at <c>/metrics</c> in Prometheus text, and traces over OTLP, for a silo or gateway process.</summary>
public static partial class TelemetryHostExtensions
{
    /// <summary>
    /// Adds the OpenTelemetry providers (section <c>Telemetry</c>: <c>MetricsPath</c>, <c>ScrapeTimeout</c>,
    /// <c>Otlp:Endpoint</c>) and the process metrics. Call it before the services whose instruments it should collect
    /// from their first measurement.
    /// </summary>
    public static IServiceCollection AddNexusTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<ProcessMetrics>();
        services.TryAddSingleton<TelemetryProviders>();
        services.AddHostedService<TelemetryStarter>();
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (or <c>Telemetry:MetricsPath</c>).</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;

        // Listen from now on: the silo opens its storage (and counts its first operations) before the host starts.
        app.Services.GetRequiredService<TelemetryProviders>();
        app.MapGet(options.MetricsPath, (HttpContext http, TelemetryProviders providers, ILoggerFactory loggers) => ScrapeAsync(http, providers, options, loggers));
        return app;
    }

    private static async Task ScrapeAsync(HttpContext http, TelemetryProviders providers, TelemetryOptions options, ILoggerFactory loggers)
    {
        string text;
        try
        {
            text = providers.Scrape.Scrape(options.ScrapeTimeout);
        }
        catch (TimeoutException exception)
        {
            LogScrapeFailed(loggers.CreateLogger("NexusOrleans.Telemetry"), exception.Message);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("Metrics could not be collected in time; scrape again.\n");
            return;
        }

        http.Response.ContentType = PrometheusText.ContentType;
        await http.Response.WriteAsync(text);
    }

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "A metrics scrape failed: {Reason}")]
    private static partial void LogScrapeFailed(ILogger logger, string reason);

    /// <summary>
    /// Creates the providers with the other hosted services, before any of them starts measuring, and the metrics
    /// classes that would otherwise wait for their first event (an epoch closes once an hour), so their series are
    /// there from the first scrape.
    /// </summary>
    private sealed class TelemetryStarter(TelemetryProviders providers, ProcessMetrics process, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(providers);
            GC.KeepAlive(process);
            GC.KeepAlive(services.GetService<Grains.Inbox.InboxMetrics>());
            GC.KeepAlive(services.GetService<Grains.Epochs.EpochMetrics>());
            GC.KeepAlive(services.GetService<Connections.GatewayMetrics>());
            GC.KeepAlive(services.GetService<Canaries.CanaryMetrics>());
            GC.KeepAlive(services.GetService<Grains.Anchoring.AnchorBacklog>());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
