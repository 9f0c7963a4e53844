// Pull-style collection for the Prometheus endpoint.
//
// A BaseExportingMetricReader without a timer (unlike the periodic reader) exports only when asked: a scrape calls
// Collect, which makes the SDK take a snapshot of every instrument and hand it to Export synchronously, on the scraping
// thread (the SDK reserves its pull-only export mode to its own Prometheus exporter, so this one is an ordinary one);
// the points are valid only during that call, so they are rendered to text right there. Two scrapes at once are
// serialised by a lock (the reader allows one collection at a time anyway, and a second caller would otherwise get
// nothing); a scrape never waits for more than the timeout given to Collect. Cumulative temporality, as Prometheus
// expects: counters keep counting from the start of the process.
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>Renders the SDK's metrics as Prometheus text on demand. See the comment at the top of this file.</summary>
public sealed class PrometheusScrapeReader : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextExporter _exporter = new();

    public PrometheusScrapeReader()
    {
        Reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
    }

    /// <summary>The reader to add to a <c>MeterProvider</c>.</summary>
    public MetricReader Reader { get; }

    /// <summary>Collects now and answers the text; throws when the collection failed or timed out.</summary>
    public string Scrape(TimeSpan timeout)
    {
        lock (_gate)
        {
            _exporter.Last = null;
            if (!Reader.Collect((int)timeout.TotalMilliseconds) || _exporter.Last is not { } text)
            {
                throw new TimeoutException($"Collecting metrics did not complete within {timeout.TotalMilliseconds:F0} ms.");
            }

            return text;
        }
    }

    public void Dispose() => Reader.Dispose();

    private sealed class TextExporter : BaseExporter<Metric>
    {
        public string? Last { get; set; }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            var writer = new PrometheusMetricWriter();
            foreach (var metric in batch)
            {
                writer.Write(metric);
            }

            Last = writer.ToString();
            return ExportResult.Success;
        }
    }
}
