using System.Globalization;
using System.Text;
using OpenTelemetry.Metrics;

namespace NexusOrleans.Gateway.Telemetry;

/// <summary>
/// Renders the OpenTelemetry SDK's collected metrics as Prometheus text (see <see cref="PrometheusText"/> for the rules):
/// sums as counters (monotonic) or gauges, gauges as gauges, explicit-bucket histograms as histograms. Exponential
/// histograms have no 0.0.4 form and are skipped; the product creates none.
/// </summary>
public sealed class PrometheusMetricWriter
{
    private readonly StringBuilder _output = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Writes one metric's family header (once per name) and its points.</summary>
    public void Write(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var type = metric.MetricType;
        var counter = type is MetricType.LongSum or MetricType.DoubleSum;
        var histogram = type == MetricType.Histogram;
        if (type == MetricType.ExponentialHistogram)
        {
            return;
        }

        var name = PrometheusText.FamilyName(metric.Name, metric.Unit, counter);
        if (_families.Add(name))
        {
            _output.Append("# HELP ").Append(name).Append(' ').Append(PrometheusText.EscapeHelp(metric.Description ?? string.Empty)).Append('\n');
            _output.Append("# TYPE ").Append(name).Append(' ').Append(counter ? "counter" : histogram ? "histogram" : "gauge").Append('\n');
        }

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(point);
            if (histogram)
            {
                WriteHistogram(name, labels, point);
                continue;
            }

            var value = type switch
            {
                MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
                MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => PrometheusText.FormatValue(point.GetSumDouble()),
                MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
                _ => PrometheusText.FormatValue(point.GetGaugeLastValueDouble()),
            };
            PrometheusText.WriteSample(_output, name, labels, value);
        }
    }

    /// <summary>Everything written so far.</summary>
    public override string ToString() => _output.ToString();

    private void WriteHistogram(string name, List<KeyValuePair<string, string>> labels, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            List<KeyValuePair<string, string>> withBound = [.. labels, new("le", PrometheusText.FormatValue(bucket.ExplicitBound))];
            PrometheusText.WriteSample(_output, name + "_bucket", withBound, cumulative.ToString(CultureInfo.InvariantCulture));
        }

        PrometheusText.WriteSample(_output, name + "_sum", labels, PrometheusText.FormatValue(point.GetHistogramSum()));
        PrometheusText.WriteSample(_output, name + "_count", labels, point.GetHistogramCount().ToString(CultureInfo.InvariantCulture));
    }

    private static List<KeyValuePair<string, string>> Labels(in MetricPoint point)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var tag in point.Tags)
        {
            labels.Add(new(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
        }

        return labels;
    }
}
