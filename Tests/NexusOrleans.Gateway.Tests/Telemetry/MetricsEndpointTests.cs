using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NexusOrleans.Gateway.Telemetry;
using NexusOrleans.Runtime.Telemetry;

namespace NexusOrleans.Gateway.Tests.Telemetry;

/// <summary>The <c>/metrics</c> endpoint on Kestrel, and the <c>Telemetry</c> settings it is configured by.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_Scraped_AnswersPrometheusTextWithTheProductsMeter()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddNexusTelemetry();
        await using var app = builder.Build();
        app.MapMetrics();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create(NexusTelemetry.MeterName);
        meter.CreateCounter<long>("nexus.test.scrapes", "{scrape}", "Counted by the endpoint test.").Add(2);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(PrometheusText.ContentType, response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE nexus_test_scrapes_total counter\nnexus_test_scrapes_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_time_seconds_total counter\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics", null, "Telemetry:MetricsPath is 'metrics'")]
    [InlineData("/metrics", "otel-collector:4317", "Telemetry:Otlp:Endpoint is 'otel-collector:4317'")]
    [InlineData("/metrics", "ftp://collector", "Telemetry:Otlp:Endpoint is 'ftp://collector'")]
    public void Validate_AnInvalidSetting_FailsNamingIt(string path, string? endpoint, string expected)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { MetricsPath = path, Otlp = { Endpoint = endpoint } });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
        => Assert.Equal(ValidateOptionsResult.Success, new TelemetryOptionsValidator().Validate(null, new TelemetryOptions()));
}
