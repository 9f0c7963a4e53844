using System.Diagnostics.Metrics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NexusOrleans.Gateway.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NexusOrleans.Gateway.Tests.Telemetry;

/// <summary>The Prometheus text the SDK's metrics are rendered as, checked against text written by hand.</summary>
public sealed class PrometheusTextTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Scrape_CounterHistogramAndGauge_RenderTheExpositionFormat()
    {
        var meterName = "NexusOrleans.Tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var scrape = new PrometheusScrapeReader();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(scrape.Reader).Build();
        var accepted = meter.CreateCounter<long>("test.envelopes.accepted", "{envelope}", "Envelopes accepted.");
        var latency = meter.CreateHistogram<double>("test.delivery.latency", "s", "Delivery latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.3, 1] });
        meter.CreateObservableGauge("test.inbox.size", () => 42L, "By", "Inbox bytes.\nSecond line with a \\.");

        accepted.Add(3, new KeyValuePair<string, object?>("code", "a\"b\\c\nd"));
        latency.Record(0.25);
        latency.Record(0.5);
        latency.Record(2);

        const string expected = """
            # HELP test_envelopes_accepted_total Envelopes accepted.
            # TYPE test_envelopes_accepted_total counter
            test_envelopes_accepted_total{code="a\"b\\c\nd"} 3
            # HELP test_delivery_latency_seconds Delivery latency.
            # TYPE test_delivery_latency_seconds histogram
            test_delivery_latency_seconds_bucket{le="0.3"} 1
            test_delivery_latency_seconds_bucket{le="1"} 2
            test_delivery_latency_seconds_bucket{le="+Inf"} 3
            test_delivery_latency_seconds_sum 2.75
            test_delivery_latency_seconds_count 3
            # HELP test_inbox_size_bytes Inbox bytes.\nSecond line with a \\.
            # TYPE test_inbox_size_bytes gauge
            test_inbox_size_bytes 42

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), scrape.Scrape(Timeout));
    }

    [Fact]
    public void Scrape_CounterAddedTo_IsCumulativeAcrossScrapes()
    {
        var meterName = "NexusOrleans.Tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var scrape = new PrometheusScrapeReader();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(scrape.Reader).Build();
        var calls = meter.CreateCounter<long>("test.calls", "{call}", "Calls.");

        calls.Add(2);
        scrape.Scrape(Timeout);
        calls.Add(5);

        Assert.Contains("test_calls_total 7\n", scrape.Scrape(Timeout), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nexus.envelopes.accepted", "{envelope}", true, "nexus_envelopes_accepted_total")]
    [InlineData("nexus.delivery.latency", "s", false, "nexus_delivery_latency_seconds")]
    [InlineData("nexus.inbox.size", "By", false, "nexus_inbox_size_bytes")]
    [InlineData("process.cpu.time", "s", true, "process_cpu_time_seconds_total")]
    [InlineData("9lives-per.cat", null, false, "_9lives_per_cat")]
    [InlineData("already_seconds", "s", false, "already_seconds")]
    [InlineData("jobs_total", "", true, "jobs_total")]
    public void FamilyName_OfAnInstrument_IsSanitizedWithUnitAndTotalSuffixes(string instrument, string? unit, bool counter, string expected)
        => Assert.Equal(expected, PrometheusText.FamilyName(instrument, unit, counter));

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.005, "0.005")]
    [InlineData(1e21, "1E+21")]
    public void FormatValue_SpecialAndOrdinaryNumbers_AreSpelledAsTheFormatWants(double value, string expected)
        => Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public void LabelValue_AnyString_RoundTripsThroughTheParser()
        => Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), value =>
        {
            var line = new StringBuilder();
            PrometheusText.WriteSample(line, "m", [new("a", "x"), new("b", value.Get)], "1");
            var text = line.ToString();
            var (name, labels, sample) = PrometheusTextParser.ParseSample(text[..^1]);
            return text.Count(c => c == '\n') == 1 && name == "m" && sample == "1"
                   && labels is [("a", "x"), var (key, parsed)] && key == "b" && parsed == value.Get;
        }));
}
