using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Runtime.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>
/// The OpenTelemetry SDK's providers for this process: metrics of the product's meter read by the Prometheus
/// endpoint, and, when an OTLP endpoint is configured, the product's spans sent to it. Created with the host's hosted
/// services, before any of them starts, so the first measurements are already collected; disposed with the host.
/// </summary>
public sealed partial class TelemetryProviders : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider? _tracer;

    public TelemetryProviders(IOptions<TelemetryOptions> options, ILogger<TelemetryProviders> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Scrape = new PrometheusScrapeReader();
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(NexusTelemetry.MeterName).AddReader(Scrape.Reader).Build();
        if (options.Value.Otlp.Endpoint is { Length: > 0 } endpoint)
        {
            _tracer = Sdk.CreateTracerProviderBuilder()
                .AddSource(NexusTelemetry.ActivitySourceName)
                .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint))
                .Build();
            LogTracesExported(logger, endpoint);
        }
    }

    /// <summary>The reader behind <c>/metrics</c>.</summary>
    public PrometheusScrapeReader Scrape { get; }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meters.Dispose();
        Scrape.Dispose();
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Traces of the NexusOrleans activity source are exported over OTLP to {Endpoint}")]
    private static partial void LogTracesExported(ILogger logger, string endpoint);
}
