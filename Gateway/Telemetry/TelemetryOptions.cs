using Microsoft.Extensions.Options;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>Section <c>Telemetry</c>: where metrics are served and where traces go.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>The path Prometheus scrapes.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Longest a scrape may take to collect before it is answered 503.</summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Traces are exported over OTLP when <see cref="OtlpOptions.Endpoint"/> is set.</summary>
    public OtlpOptions Otlp { get; set; } = new();
}

/// <summary>Section <c>Telemetry:Otlp</c>.</summary>
public sealed class OtlpOptions
{
    /// <summary>The collector's OTLP endpoint (gRPC, e.g. <c>http://otel-collector:4317</c>); empty exports no traces.</summary>
    public string? Endpoint { get; set; }
}

/// <summary>Checks <see cref="TelemetryOptions"/> at start.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.MetricsPath) || !options.MetricsPath.StartsWith('/'))
        {
            failures.Add($"Telemetry:MetricsPath is '{options.MetricsPath}'; it must be a path starting with '/', such as /metrics.");
        }

        if (options.ScrapeTimeout <= TimeSpan.Zero || options.ScrapeTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Telemetry:ScrapeTimeout is {options.ScrapeTimeout}; it must be more than 0 and at most 00:01:00.");
        }

        if (!string.IsNullOrWhiteSpace(options.Otlp.Endpoint)
            && (!Uri.TryCreate(options.Otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            failures.Add($"Telemetry:Otlp:Endpoint is '{options.Otlp.Endpoint}'; it must be an absolute http or https URL such as http://otel-collector:4317, or empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
